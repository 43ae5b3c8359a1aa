package io.nanoclaw.host.channels.signal;

/**
 * A Signal message is named by its author and its sent timestamp, and that is what quotes, reactions and edits
 * need; a timestamp alone is not unique in a group. Our ids: {@code <author>@<timestamp>}, with the author's
 * number (or ACI when the number is hidden); a user's edit adds {@code .e<editTimestamp>} so the host sees a new
 * message.
 */
record MessageRef(String author, long timestamp) {

    String id() {
        return author + "@" + timestamp;
    }

    /** {@code <author>@<timestamp>[.e<edit>]} → the author and the original timestamp. */
    static MessageRef parse(String id) {
        if (id == null) {
            throw new IllegalArgumentException("no message id");
        }
        int at = id.lastIndexOf('@');
        if (at <= 0 || at == id.length() - 1) {
            throw new IllegalArgumentException("not a Signal message id (<author>@<timestamp>): " + id);
        }
        String ts = id.substring(at + 1);
        int edit = ts.indexOf(".e");
        if (edit >= 0) {
            ts = ts.substring(0, edit);
        }
        try {
            long t = Long.parseLong(ts);
            if (t <= 0) {
                throw new NumberFormatException();
            }
            return new MessageRef(id.substring(0, at), t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a Signal message id (<author>@<timestamp>): " + id);
        }
    }
}
