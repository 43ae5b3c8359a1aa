package io.nanoclaw.host.db;

/** A central-DB failure, with the statement that failed (never its arguments, which may hold message text). */
public class DbException extends RuntimeException {
    public DbException(String what, Throwable cause) {
        super("central DB: " + what.lines().findFirst().orElse(what) + ": " + cause.getMessage(), cause);
    }
}
