package io.nanoclaw.cli;

/** {@code ncl}: the operator CLI. Talks to the host over {@code data/ncl.sock} (host.md 9). */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.err.println("ncl: not implemented yet");
        System.exit(2);
    }
}
