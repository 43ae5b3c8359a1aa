package io.nanoclaw.host.channels.discord;

/** Discord's ids are snowflakes: decimal numbers. Anything else never goes into a URL path. */
final class DiscordIds {
    private DiscordIds() {}

    static boolean isSnowflake(String s) {
        return s != null && s.matches("[0-9]{1,20}");
    }

    /**
     * The platform's message id behind an id the adapter handed out: an edited message was delivered as
     * {@code <id>.e<editTime>} so the host would not drop it as a duplicate; edits and reactions need {@code <id>}.
     */
    static String messageId(String id) {
        if (id == null) {
            return null;
        }
        int e = id.indexOf(".e");
        return e > 0 ? id.substring(0, e) : id;
    }
}
