package io.nanoclaw.host.containers.images;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * A build context as an in-memory ustar archive: the context is one small Dockerfile, so nothing is written to
 * disk and nothing is left behind. Hand-written because the format for a few regular files is this short, and
 * the host should not depend on a library it only gets transitively.
 */
final class TarContext {
    private static final int BLOCK = 512;

    private TarContext() {}

    /** Regular files (name to content), mode 0644, owned by root, mtime 0 so the same files give the same bytes. */
    static byte[] of(Map<String, byte[]> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            byte[] name = f.getKey().getBytes(StandardCharsets.US_ASCII);
            if (name.length == 0 || name.length > 100) {
                throw new IllegalArgumentException("tar entry name must be 1-100 ASCII bytes: " + f.getKey());
            }
            byte[] data = f.getValue();
            byte[] h = new byte[BLOCK];
            System.arraycopy(name, 0, h, 0, name.length);
            octal(h, 100, 8, 0644);
            octal(h, 108, 8, 0);
            octal(h, 116, 8, 0);
            octal(h, 124, 12, data.length);
            octal(h, 136, 12, 0);
            h[156] = '0';
            put(h, 257, "ustar\0");
            put(h, 263, "00");
            // The checksum is computed with its own field as spaces.
            Arrays.fill(h, 148, 156, (byte) ' ');
            long sum = 0;
            for (byte b : h) {
                sum += b & 0xff;
            }
            octal(h, 148, 7, sum);
            h[155] = ' ';
            out.writeBytes(h);
            out.writeBytes(data);
            out.writeBytes(new byte[(BLOCK - data.length % BLOCK) % BLOCK]);
        }
        out.writeBytes(new byte[2 * BLOCK]);
        return out.toByteArray();
    }

    /** A zero-padded octal number filling width-1 bytes, then NUL. */
    private static void octal(byte[] h, int at, int width, long value) {
        String s = Long.toOctalString(value);
        if (s.length() > width - 1) {
            throw new IllegalArgumentException("value too large for a tar header: " + value);
        }
        put(h, at, "0".repeat(width - 1 - s.length()) + s + "\0");
    }

    private static void put(byte[] h, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, at, b.length);
    }
}
