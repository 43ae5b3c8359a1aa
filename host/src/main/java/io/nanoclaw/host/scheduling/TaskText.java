package io.nanoclaw.host.scheduling;

/** Echoes untrusted values into one-line notes: quoted, control characters replaced, cut to a readable length. */
final class TaskText {
    static final int MAX_ECHO = 80;

    private TaskText() {}

    static String quote(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_ECHO) + 3).append('"');
        int n = 0;
        for (int i = 0; i < s.length() && n < MAX_ECHO; i++, n++) {
            char ch = s.charAt(i);
            b.append(Character.isISOControl(ch) ? ' ' : ch);
        }
        if (s.length() > MAX_ECHO) {
            b.append('…');
        }
        return b.append('"').toString();
    }
}
