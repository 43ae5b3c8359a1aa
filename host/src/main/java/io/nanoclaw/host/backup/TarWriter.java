package io.nanoclaw.host.backup;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;

/**
 * A gzip-compressed POSIX tar (ustar, with a pax {@code path} record for names ustar cannot hold), written as a
 * stream: regular files and folders only. Hand-written like the image build's {@code TarContext}: the format is
 * short, and the host should not depend on a library it only gets transitively. Any tar reads the result
 * ({@code tar -tzf}).
 */
final class TarWriter implements Closeable {
    private static final int BLOCK = 512;
    /** Eleven octal digits: the largest size a ustar header holds. */
    static final long MAX_SIZE = 077777777777L;

    private final GZIPOutputStream out;
    private long written;

    /** What a file entry held: its size and SHA-256 as written into the archive. */
    record Written(long bytes, String sha256) {}

    TarWriter(OutputStream target) throws IOException {
        this.out = new GZIPOutputStream(target, 64 * 1024);
    }

    void directory(String name, long mtimeSeconds) throws IOException {
        String n = name.endsWith("/") ? name : name + "/";
        header(n, '5', 0, 0755, mtimeSeconds);
    }

    /**
     * A regular file of exactly {@code size} bytes from {@code in}: a file that grew while it was read is cut at
     * {@code size}, one that shrank is padded with zeros (the SHA-256 covers what the archive holds).
     */
    Written file(String name, long size, InputStream in, int mode, long mtimeSeconds) throws IOException {
        if (size > MAX_SIZE) {
            throw new IOException(name + " is over 8 GiB, more than a tar header holds");
        }
        header(name, '0', size, mode, mtimeSeconds);
        MessageDigest sha = sha256();
        byte[] buf = new byte[64 * 1024];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                Arrays.fill(buf, (byte) 0);
                while (left > 0) {
                    int z = (int) Math.min(buf.length, left);
                    out.write(buf, 0, z);
                    sha.update(buf, 0, z);
                    left -= z;
                }
                break;
            }
            out.write(buf, 0, n);
            sha.update(buf, 0, n);
            left -= n;
        }
        pad(size);
        written += size;
        return new Written(size, HexFormat.of().formatHex(sha.digest()));
    }

    /** A small file from memory. */
    Written file(String name, byte[] data, long mtimeSeconds) throws IOException {
        return file(name, data.length, new java.io.ByteArrayInputStream(data), 0600, mtimeSeconds);
    }

    long contentBytes() {
        return written;
    }

    /** The two zero blocks that end a tar, then the gzip trailer. */
    @Override
    public void close() throws IOException {
        out.write(new byte[2 * BLOCK]);
        out.finish();
        out.close();
    }

    private void header(String name, char type, long size, int mode, long mtime) throws IOException {
        byte[] full = name.getBytes(StandardCharsets.UTF_8);
        String[] split = ustarSplit(name, full);
        if (split == null) {
            // A pax extended header carries the real name; the ustar header gets a short stand-in.
            byte[] record = paxRecord("path", name);
            writeHeader(new String[] {"", "PaxHeaders/" + Math.abs(name.hashCode())}, 'x', record.length, 0644, mtime);
            out.write(record);
            pad(record.length);
            String stand = "long/" + Integer.toHexString(name.hashCode()) + (type == '5' ? "/" : "");
            writeHeader(new String[] {"", stand}, type, size, mode, mtime);
        } else {
            writeHeader(split, type, size, mode, mtime);
        }
    }

    /** {prefix, name} when ustar can hold the name as ASCII (name up to 100 bytes, prefix up to 155), else null. */
    private static String[] ustarSplit(String name, byte[] bytes) {
        if (bytes.length != name.length()) {
            return null; // not ASCII
        }
        if (bytes.length <= 100) {
            return new String[] {"", name};
        }
        for (int i = name.indexOf('/'); i >= 0; i = name.indexOf('/', i + 1)) {
            if (i <= 155 && name.length() - i - 1 <= 100 && name.length() - i - 1 > 0) {
                return new String[] {name.substring(0, i), name.substring(i + 1)};
            }
        }
        return null;
    }

    /** "len path=value\n", len counting itself. */
    static byte[] paxRecord(String key, String value) {
        byte[] kv = (" " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8);
        int len = kv.length;
        int digits = Integer.toString(len).length();
        while (Integer.toString(len + digits).length() != digits) {
            digits++;
        }
        return ((len + digits) + new String(kv, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    }

    private void writeHeader(String[] prefixAndName, char type, long size, int mode, long mtime) throws IOException {
        byte[] h = new byte[BLOCK];
        put(h, 0, prefixAndName[1], 100);
        octal(h, 100, 8, mode);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, Math.max(0, mtime));
        h[156] = (byte) type;
        put(h, 257, "ustar\0", 6);
        put(h, 263, "00", 2);
        put(h, 345, prefixAndName[0], 155);
        Arrays.fill(h, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        octal(h, 148, 7, sum);
        h[155] = ' ';
        out.write(h);
    }

    private void pad(long size) throws IOException {
        int rest = (int) ((BLOCK - size % BLOCK) % BLOCK);
        if (rest > 0) {
            out.write(new byte[rest]);
        }
    }

    private static void octal(byte[] h, int at, int width, long value) {
        String s = Long.toOctalString(value);
        if (s.length() > width - 1) {
            throw new IllegalArgumentException("value too large for a tar header: " + value);
        }
        put(h, at, "0".repeat(width - 1 - s.length()) + s + "\0", width);
    }

    private static void put(byte[] h, int at, String s, int max) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        if (b.length > max) {
            throw new IllegalArgumentException("tar header field too long: " + s);
        }
        System.arraycopy(b, 0, h, at, b.length);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
