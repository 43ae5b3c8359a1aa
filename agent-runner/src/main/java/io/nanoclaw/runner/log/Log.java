package io.nanoclaw.runner.log;

import java.util.Locale;

/**
 * Minimal stderr logging as {@code [component] message}: the host collects container stderr, so no framework is
 * needed. Never pass tokens or message bodies to {@link #info}; bodies belong at debug level at most.
 */
public final class Log {
    private static volatile boolean debug =
            "debug".equals(String.valueOf(System.getenv("NANOCLAW_LOG_LEVEL")).toLowerCase(Locale.ROOT));

    private Log() {}

    public static boolean isDebug() {
        return debug;
    }

    public static void setDebug(boolean on) {
        debug = on;
    }

    public static void debug(String component, String message) {
        if (debug) {
            write(component, message);
        }
    }

    public static void info(String component, String message) {
        write(component, message);
    }

    public static void warn(String component, String message) {
        write(component, "WARN " + message);
    }

    public static void error(String component, String message, Throwable t) {
        write(component, "ERROR " + message + (t == null ? "" : ": " + describe(t)));
        if (t != null && debug) {
            t.printStackTrace(System.err);
        }
    }

    /** Exception class and message only, so a stack trace never spills a request body into the log. */
    public static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : " " + m);
    }

    private static void write(String component, String message) {
        System.err.println("[" + component + "] " + message);
    }
}
