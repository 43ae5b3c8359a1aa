package io.nanoclaw.host.channels.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads newline-terminated UTF-8 lines with a size limit. A line over the limit is skipped to its end and reported
 * as {@link #TOO_LONG}, so one huge line costs a bounded buffer and the connection carries on.
 */
final class BoundedLineReader {
    static final String TOO_LONG = "\u0000too-long";

    private final InputStream in;
    private final int maxBytes;
    private final byte[] buf = new byte[8192];
    private int pos;
    private int len;

    BoundedLineReader(InputStream in, int maxBytes) {
        this.in = in;
        this.maxBytes = maxBytes;
    }

    /** @return the next line, {@link #TOO_LONG}, or null at end of stream. */
    String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        boolean overflow = false;
        while (true) {
            if (pos == len) {
                len = in.read(buf);
                pos = 0;
                if (len <= 0) {
                    len = 0;
                    if (overflow) {
                        return TOO_LONG;
                    }
                    return line.size() > 0 ? line.toString(StandardCharsets.UTF_8) : null;
                }
            }
            int start = pos;
            while (pos < len && buf[pos] != '\n') {
                pos++;
            }
            int chunk = pos - start;
            if (!overflow) {
                if (line.size() + chunk > maxBytes) {
                    overflow = true;
                    line.reset();
                } else {
                    line.write(buf, start, chunk);
                }
            }
            if (pos < len) { // found the newline
                pos++;
                return overflow ? TOO_LONG : line.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
