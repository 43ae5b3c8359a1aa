package io.nanoclaw.runner.tools.nanoclaw;

/**
 * The name a sent file gets in the outbox and on the platform. It becomes a path component on the host
 * (outbox/&lt;id&gt;/&lt;name&gt;), so anything that could step out of that folder or confuse a terminal is
 * refused up front rather than left to the host's checks.
 */
final class FileNames {
    static final int MAX_LENGTH = 255;

    private FileNames() {}

    /** Returns why the name is unusable, or null when it is fine. */
    static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "filename is empty";
        }
        if (name.length() > MAX_LENGTH) {
            return "filename is longer than " + MAX_LENGTH + " characters";
        }
        if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) {
            return "filename must not contain '/' or '\\': " + name;
        }
        if (name.contains("..") || name.equals(".")) {
            return "filename must not be '.' or contain '..': " + name;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return "filename must not contain control characters";
            }
        }
        return null;
    }
}
