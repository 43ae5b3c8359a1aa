package io.nanoclaw.cli.backup;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads a POSIX tar (ustar, pax {@code path} records) entry by entry, for restore. It reports every entry's type as
 * it is, so the caller can refuse links, devices and anything else a backup never holds.
 */
final class TarReader {
    private static final int BLOCK = 512;

    /** One entry: its name (pax path when given), type flag, size and mode. */
    record Entry(String name, char type, long size, int mode) {
        boolean isFile() {
            return type == '0' || type == '\0';
        }

        boolean isDirectory() {
            return type == '5';
        }
    }

    /** The archive is not a well-formed tar. */
    static final class FormatException extends IOException {
        FormatException(String message) {
            super(message);
        }
    }

    private final InputStream in;
    private long remaining;
    private long padding;

    TarReader(InputStream in) {
        this.in = in;
    }

    /** The next entry (its content then readable through {@link #content()}), or null at the end. */
    Entry next() throws IOException {
        skip(remaining + padding);
        remaining = 0;
        padding = 0;
        String paxPath = null;
        while (true) {
            byte[] h = new byte[BLOCK];
            if (!readFully(h)) {
                throw new FormatException("the archive ends without the closing blocks (truncated?)");
            }
            if (allZero(h)) {
                return null;
            }
            verifyChecksum(h);
            char type = (char) h[156];
            long size = octal(h, 124, 12);
            int mode = (int) octal(h, 100, 8);
            String name = text(h, 0, 100);
            String prefix = text(h, 345, 155);
            if (!prefix.isEmpty() && "ustar".equals(text(h, 257, 5))) {
                name = prefix + "/" + name;
            }
            if (type == 'x') {
                paxPath = paxPath(readBytes(size));
                continue;
            }
            if (type == 'g') {
                readBytes(size); // global pax headers: nothing a restore needs
                continue;
            }
            remaining = size;
            padding = (BLOCK - size % BLOCK) % BLOCK;
            return new Entry(paxPath != null ? paxPath : name, type, size, mode);
        }
    }

    /** The current entry's bytes; read it to its end or leave it (the next {@link #next()} skips the rest). */
    InputStream content() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (remaining <= 0) {
                    return -1;
                }
                int n = in.read(b, off, (int) Math.min(len, remaining));
                if (n < 0) {
                    throw new EOFException("the archive ends inside an entry (truncated?)");
                }
                remaining -= n;
                return n;
            }
        };
    }

    private byte[] readBytes(long size) throws IOException {
        if (size > 1 << 20) {
            throw new FormatException("a pax header of " + size + " bytes");
        }
        byte[] b = new byte[(int) size];
        if (!readFully(b)) {
            throw new FormatException("the archive ends inside a pax header");
        }
        skip((BLOCK - size % BLOCK) % BLOCK);
        return b;
    }

    /** The {@code path} of pax records "len key=value\n"; other keys are left alone. */
    static String paxPath(byte[] data) throws FormatException {
        String path = null;
        int i = 0;
        while (i < data.length) {
            int sp = i;
            while (sp < data.length && data[sp] != ' ') {
                sp++;
            }
            int len;
            try {
                len = Integer.parseInt(new String(data, i, sp - i, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw new FormatException("a malformed pax record");
            }
            if (len <= sp - i + 1 || i + len > data.length || data[i + len - 1] != '\n') {
                throw new FormatException("a malformed pax record");
            }
            String kv = new String(data, sp + 1, i + len - sp - 2, StandardCharsets.UTF_8);
            int eq = kv.indexOf('=');
            if (eq > 0 && kv.substring(0, eq).equals("path")) {
                path = kv.substring(eq + 1);
            }
            i += len;
        }
        return path;
    }

    private void skip(long n) throws IOException {
        byte[] buf = new byte[8192];
        while (n > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (r < 0) {
                throw new EOFException("the archive ends early (truncated?)");
            }
            n -= r;
        }
    }

    private boolean readFully(byte[] b) throws IOException {
        int off = 0;
        while (off < b.length) {
            int n = in.read(b, off, b.length - off);
            if (n < 0) {
                return false;
            }
            off += n;
        }
        return true;
    }

    private static boolean allZero(byte[] h) {
        for (byte b : h) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static void verifyChecksum(byte[] h) throws FormatException {
        long stored = octal(h, 148, 8);
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
        }
        if (sum != stored) {
            throw new FormatException("a tar header with a bad checksum (not a tar, or damaged)");
        }
    }

    private static long octal(byte[] h, int at, int width) throws FormatException {
        long v = 0;
        int i = at;
        int end = at + width;
        while (i < end && (h[i] == ' ' || h[i] == 0)) {
            i++;
        }
        for (; i < end && h[i] != 0 && h[i] != ' '; i++) {
            if (h[i] < '0' || h[i] > '7') {
                throw new FormatException("a tar header with a bad number field");
            }
            v = v * 8 + (h[i] - '0');
        }
        return v;
    }

    private static String text(byte[] h, int at, int width) {
        int end = at;
        while (end < at + width && h[end] != 0) {
            end++;
        }
        return new String(h, at, end - at, StandardCharsets.UTF_8);
    }
}
