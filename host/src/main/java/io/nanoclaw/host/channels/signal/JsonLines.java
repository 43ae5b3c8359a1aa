package io.nanoclaw.host.channels.signal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Newline-delimited lines from a stream, each at most {@code maxBytes}: a longer line is skipped up to its newline
 * and reported as {@link #TOO_LONG}, so one huge line can neither exhaust memory nor desynchronise the stream.
 */
final class JsonLines {
    /** Returned (by identity) for a line that was longer than the cap and was skipped. */
    static final String TOO_LONG = new String("<line too long>");

    private final InputStream in;
    private final int maxBytes;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int end;
    private byte[] line = new byte[8 * 1024];

    JsonLines(InputStream in, int maxBytes) {
        this.in = in;
        this.maxBytes = maxBytes;
    }

    /** The next line without its newline (and a trailing CR), or null at the end of the stream. */
    String next() throws IOException {
        int len = 0;
        boolean tooLong = false;
        while (true) {
            if (pos == end) {
                end = in.read(buf);
                pos = 0;
                if (end <= 0) {
                    end = 0;
                    if (len == 0 && !tooLong) {
                        return null;
                    }
                    return tooLong ? TOO_LONG : decode(len); // a last line without a newline
                }
            }
            int start = pos;
            while (pos < end && buf[pos] != '\n') {
                pos++;
            }
            int n = pos - start;
            if (!tooLong) {
                if (len + n > maxBytes) {
                    tooLong = true;
                } else {
                    if (len + n > line.length) {
                        line = Arrays.copyOf(line, Math.min(maxBytes, Math.max(len + n, line.length * 2)));
                    }
                    System.arraycopy(buf, start, line, len, n);
                    len += n;
                }
            }
            if (pos < end) { // found the newline
                pos++;
                if (tooLong) {
                    shrink();
                    return TOO_LONG;
                }
                String s = decode(len);
                shrink();
                return s;
            }
        }
    }

    private String decode(int len) {
        int l = len > 0 && line[len - 1] == '\r' ? len - 1 : len;
        return new String(line, 0, l, StandardCharsets.UTF_8);
    }

    /** After a big line (an attachment), give the memory back. */
    private void shrink() {
        if (line.length > 1024 * 1024) {
            line = new byte[8 * 1024];
        }
    }
}
