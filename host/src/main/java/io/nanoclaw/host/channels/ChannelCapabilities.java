package io.nanoclaw.host.channels;

/**
 * What a platform can show, declared by its adapter so the host degrades gracefully where it can't (host.md 8.1):
 * cards become numbered text without {@code buttons}, reactions are skipped without {@code reactions}, an edit
 * becomes a new message without {@code edits}, and text longer than {@code maxTextLength} is split on paragraph,
 * then line, then word before it reaches the adapter.
 */
public record ChannelCapabilities(boolean threads, boolean typing, boolean edits, boolean reactions,
                                  boolean buttons, boolean files, boolean openDm, boolean subscribe,
                                  int maxTextLength) {
    public ChannelCapabilities {
        if (maxTextLength < 100) {
            throw new IllegalArgumentException("maxTextLength below 100: " + maxTextLength);
        }
    }

    /** Text only, no threads: the floor every adapter offers. */
    public static ChannelCapabilities textOnly(int maxTextLength) {
        return new ChannelCapabilities(false, false, false, false, false, false, false, false, maxTextLength);
    }
}
