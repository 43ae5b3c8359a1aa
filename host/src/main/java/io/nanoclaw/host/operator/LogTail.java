package io.nanoclaw.host.operator;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The last lines of a log file, read backwards in blocks: the cost depends on the lines asked for, not the file. */
final class LogTail {
    static final int BLOCK = 64 * 1024;
    /** A bound on what one request reads, whatever the line lengths. */
    static final long MAX_BYTES = 16L * 1024 * 1024;

    private LogTail() {}

    /**
     * The last {@code n} lines of {@code file}, oldest first; when it has fewer, the rest come from the rotated
     * files before it ({@code file.1}, {@code file.2}, ...).
     */
    static List<String> tail(Path file, int n) throws IOException {
        List<String> newestFirst = new ArrayList<>();
        long budget = MAX_BYTES;
        for (int i = 0; newestFirst.size() < n && budget > 0; i++) {
            Path f = i == 0 ? file : Path.of(file + "." + i);
            if (!Files.isRegularFile(f)) {
                break;
            }
            budget -= lastLines(f, n - newestFirst.size(), budget, newestFirst);
        }
        Collections.reverse(newestFirst);
        return newestFirst;
    }

    /** Adds up to {@code n} lines of {@code f}, newest first, to {@code out}; returns the bytes read. */
    private static long lastLines(Path f, int n, long budget, List<String> out) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "r")) {
            long end = raf.length();
            long pos = end;
            long read = 0;
            // the line being assembled, as chunks newest first
            List<byte[]> pending = new ArrayList<>();
            boolean skipTrailingNewline = true;
            int added = 0;
            while (pos > 0 && added < n && read < budget) {
                int len = (int) Math.min(BLOCK, pos);
                pos -= len;
                byte[] buf = new byte[len];
                raf.seek(pos);
                raf.readFully(buf);
                read += len;
                int lineEnd = len;
                for (int i = len - 1; i >= 0 && added < n; i--) {
                    if (buf[i] == '\n') {
                        if (skipTrailingNewline && pos + i == end - 1) {
                            lineEnd = i;
                            continue;
                        }
                        pending.add(java.util.Arrays.copyOfRange(buf, i + 1, lineEnd));
                        out.add(join(pending));
                        pending.clear();
                        added++;
                        lineEnd = i;
                    }
                }
                skipTrailingNewline = false;
                if (added < n && lineEnd > 0) {
                    pending.add(java.util.Arrays.copyOfRange(buf, 0, lineEnd));
                }
            }
            if (pos == 0 && added < n && !pending.isEmpty()) {
                out.add(join(pending)); // the file's first line
            }
            return read;
        }
    }

    /** Chunks collected newest first, joined in file order. */
    private static String join(List<byte[]> newestFirst) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            b.writeBytes(newestFirst.get(i));
        }
        String s = b.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }
}
