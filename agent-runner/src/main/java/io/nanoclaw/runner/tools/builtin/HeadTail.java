package io.nanoclaw.runner.tools.builtin;

/**
 * Keeps the first and last {@code half} chars of a stream of text and counts what falls between: the start of
 * a command's output says what ran, the end says how it finished.
 */
final class HeadTail {
    private final int half;
    private final StringBuilder head = new StringBuilder();
    private final StringBuilder tail = new StringBuilder();
    private long total;

    HeadTail(int half) {
        this.half = half;
    }

    synchronized void append(char[] buf, int off, int len) {
        total += len;
        int toHead = Math.min(len, half - head.length());
        if (toHead > 0) {
            head.append(buf, off, toHead);
        }
        if (toHead < len) {
            tail.append(buf, off + toHead, len - toHead);
            if (tail.length() > 2 * half) {
                tail.delete(0, tail.length() - half);
            }
        }
    }

    @Override
    public synchronized String toString() {
        if (total <= 2L * half) {
            return head.toString() + tail;
        }
        String end = tail.length() > half ? tail.substring(tail.length() - half) : tail.toString();
        long cut = total - head.length() - end.length();
        return head + "\n… " + cut + " chars cut …\n" + end;
    }
}
