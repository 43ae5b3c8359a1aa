package io.nanoclaw.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * {@code ncl}: the operator CLI (host.md 9). Sends one command over {@code $NANOCLAW_HOME/data/ncl.sock} and prints
 * the reply: a table for flat rows, else JSON ({@code --json}: the whole reply frame). Exit codes: 0 ok, 1 an
 * error reply, 2 the host could not be reached (or the command line was empty).
 *
 * <p>Native image: the command line is declared with picocli's programmatic API (no annotations, no reflection),
 * and Jackson only reads and writes JsonNode trees, so no reachability metadata is needed beyond what picocli and
 * Jackson ship.
 */
public final class Main {
    public static final String SOCKET = "data/ncl.sock";
    static final String USAGE = """
            Usage: ncl <resource> <verb> [id] [--key value ...] [--json]

              ncl groups list
              ncl groups get ag-123
              ncl wirings create --messaging-group mg-1 --group ag-1 --engage-mode mention
              ncl help                 every command, its arguments and who may run it
              ncl completion bash      a bash completion script

            Exit codes: 0 ok, 1 error reply, 2 host not reachable.
            """;

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, home()));
    }

    /** The install home: NANOCLAW_HOME (the launcher sets it), else the current directory. */
    static Path home() {
        String h = System.getenv("NANOCLAW_HOME");
        return Path.of(h == null || h.isBlank() ? "." : h).toAbsolutePath().normalize();
    }

    /** The words of the command line, through picocli (everything positional: flags are the host's to judge). */
    static List<String> words(String[] args) {
        CommandSpec spec = CommandSpec.create().name("ncl");
        spec.addPositional(PositionalParamSpec.builder().paramLabel("WORDS").arity("0..*").type(List.class)
                .auxiliaryTypes(String.class).build());
        spec.parser().unmatchedOptionsArePositionalParams(true);
        CommandLine.ParseResult r = new CommandLine(spec).parseArgs(args);
        List<String> w = r.matchedPositionalValue(0, List.of());
        return w;
    }

    /** Runs one invocation; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err, Path home) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            (args.length == 0 ? err : out).print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        List<String> argv;
        try {
            argv = words(args);
        } catch (CommandLine.ParameterException e) {
            err.println("ncl: " + e.getMessage());
            return 2;
        }
        NclRequest req = NclRequest.parse(argv);
        if (req.command() == null) {
            err.println("ncl: missing command");
            err.print(USAGE);
            return 2;
        }
        String first = req.words().get(0);
        if (first.equals("completion")) {
            String shell = req.words().size() > 1 ? req.words().get(1) : "bash";
            if (!shell.equals("bash")) {
                err.println("ncl: completion is available for bash only, not '" + shell + "'");
                return 1;
            }
            out.print(Completion.bash());
            return 0;
        }
        if (first.equals("restore")) {
            // Offline: a restore runs with the host stopped, so it never goes over the socket.
            List<String> rest = new java.util.ArrayList<>(List.of(args).subList(1, args.length));
            if (!rest.contains("--home")) {
                rest.add("--home");
                rest.add(home.toString());
            }
            return io.nanoclaw.cli.backup.Restore.run(rest, out, err);
        }
        Path socket = home.resolve(SOCKET);
        ObjectNode request = JsonNodeFactory.instance.objectNode();
        request.put("id", Long.toString(System.nanoTime(), 36));
        request.put("command", req.command());
        request.set("args", req.args());
        JsonNode frame;
        try {
            frame = NclSocketClient.call(socket, request);
        } catch (NclSocketClient.TransportException e) {
            if (e.unreachable()) {
                err.println("ncl: cannot reach the host at " + socket + ": is the host running? (./nanoclaw start)");
            } else {
                err.println("error (transport-error): " + e.getMessage());
            }
            return 2;
        }
        boolean ok = frame.path("ok").asBoolean(false);
        if (req.json()) {
            out.print(NclOutput.json(frame));
        } else if (ok) {
            out.print(NclOutput.data(frame.get("data")));
        } else {
            err.print(NclOutput.error(frame));
        }
        return ok ? 0 : 1;
    }
}
