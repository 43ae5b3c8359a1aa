package io.nanoclaw.host.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.nanoclaw.host.cli.NclAccess;
import io.nanoclaw.host.cli.NclCall;
import io.nanoclaw.host.cli.NclException;
import io.nanoclaw.host.cli.NclHandler;
import io.nanoclaw.host.config.HostConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * {@code ncl logs [--lines N]}: the last lines of the host's log file ({@code data/logs/host.log}, rotated at 10 MB
 * into {@code host.log.1..3}), one row per line. Default 100 lines, at most {@value #MAX_LINES}.
 */
@Singleton
public class LogsCommand implements NclHandler {
    static final int DEFAULT_LINES = 100;
    static final int MAX_LINES = 5000;

    @Inject
    HostConfig config;

    @Override
    public String command() {
        return "logs";
    }

    @Override
    public NclAccess access() {
        return NclAccess.OPERATOR;
    }

    @Override
    public String summary() {
        return "the last lines of the host log (data/logs/host.log)";
    }

    public String usage() {
        return "[--lines <n>]";
    }

    public void validate(NclCall call) throws NclException {
        lines(call);
    }

    /** Where Quarkus writes the log: quarkus.log.file.path, else the default under the data folder. */
    public Path logFile() {
        var c = ConfigProvider.getConfig();
        return c.getOptionalValue("quarkus.log.file.path", String.class).map(Path::of)
                .orElseGet(() -> config.dataDir().resolve("logs").resolve("host.log")).toAbsolutePath().normalize();
    }

    @Override
    public JsonNode handle(NclCall call) throws NclException {
        int n = lines(call);
        Path file = logFile();
        boolean enabled = ConfigProvider.getConfig().getOptionalValue("quarkus.log.file.enabled", Boolean.class)
                .orElse(false);
        if (!Files.isRegularFile(file)) {
            throw new NclException(NclException.NOT_FOUND, "no log file at " + file
                    + (enabled ? "" : " (file logging is off: quarkus.log.file.enabled=false)"));
        }
        ArrayNode rows = JsonNodeFactory.instance.arrayNode();
        try {
            for (String line : LogTail.tail(file, n)) {
                rows.addObject().put("line", line);
            }
        } catch (IOException e) {
            throw new NclException(NclException.HANDLER_ERROR, "cannot read " + file + ": " + e.getMessage());
        }
        return rows;
    }

    private static int lines(NclCall call) throws NclException {
        String v = call.optional("lines");
        if (v == null) {
            return DEFAULT_LINES;
        }
        int n;
        try {
            n = Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > MAX_LINES) {
            throw new NclException(NclException.INVALID_ARGS,
                    "--lines must be a whole number from 1 to " + MAX_LINES + ", not '" + v + "'");
        }
        return n;
    }
}
