package io.nanoclaw.runner.ncl;

import com.fasterxml.jackson.databind.JsonNode;
import io.nanoclaw.runner.config.RunnerEnvironment;
import io.nanoclaw.runner.json.JsStringify;
import io.nanoclaw.runner.provider.Sleeper;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ncl} for agents: the runner started as {@code agent-runner ncl <resource> <verb> [--k v] [--json]} (the
 * image's {@code ncl} wrapper does that), so an agent runs the same command line through Bash that an operator runs
 * on the host. The request travels through the session DBs (agent-runner.md 3.6); the host answers as this agent,
 * within its cli_scope. Exit codes: 0 ok, 1 an error frame, 2 no answer or a transport failure.
 */
public final class Ncl {
    /** Overrides the 30 s wait for the host's answer (tests). */
    public static final String TIMEOUT_ENV = "NCL_TIMEOUT_MS";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private Ncl() {}

    /** Runs one command; returns the exit code. */
    public static int run(String[] argv) {
        return run(argv, System.getenv(), System.out, System.err, null);
    }

    /** @param timeout the wait for the answer; null for NCL_TIMEOUT_MS or 30 s */
    static int run(String[] argv, Map<String, String> env, PrintStream out, PrintStream err, Duration timeout) {
        if (argv.length == 0 || argv[0].equals("--help") || argv[0].equals("-h")) {
            out.print(NclArgs.USAGE);
            return 0;
        }
        NclCommand cmd = NclArgs.parse(argv);
        if (cmd == null) {
            err.println("ncl: missing command");
            err.print(NclArgs.USAGE);
            return 2;
        }
        Duration wait;
        RunnerEnvironment re;
        try {
            wait = timeout != null ? timeout : timeout(env.get(TIMEOUT_ENV));
            re = RunnerEnvironment.from(env);
        } catch (IllegalArgumentException e) {
            err.println("ncl: " + e.getMessage());
            return 2;
        }
        Optional<JsonNode> frame;
        try {
            frame = new NclClient(re.inboundDb(), re.outboundDb(), re.journalMode(), wait, Sleeper.REAL,
                    System::nanoTime).call(cmd.command(), cmd.args());
        } catch (SQLException e) {
            err.println("ncl: " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("ncl: interrupted");
            return 2;
        }
        if (frame.isEmpty()) {
            err.println("ncl: command timed out after " + seconds(wait) + "s");
            return 2;
        }
        JsonNode f = frame.get();
        boolean ok = f.path("ok").asBoolean(false);
        if (cmd.json()) {
            out.println(JsStringify.stringify(f, 2));
        } else if (ok) {
            out.print(NclOutput.data(f.get("data")));
        } else {
            err.print(NclOutput.error(f));
        }
        return ok ? 0 : 1;
    }

    private static Duration timeout(String ms) {
        if (ms == null || ms.isBlank()) {
            return DEFAULT_TIMEOUT;
        }
        try {
            long v = Long.parseLong(ms.trim());
            if (v <= 0) {
                throw new NumberFormatException();
            }
            return Duration.ofMillis(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(TIMEOUT_ENV + " must be a positive number of milliseconds, not '"
                    + ms + "'");
        }
    }

    /** 30000 ms → "30", 1500 ms → "1.5". */
    private static String seconds(Duration d) {
        return BigDecimal.valueOf(d.toMillis()).movePointLeft(3).stripTrailingZeros().toPlainString();
    }
}
