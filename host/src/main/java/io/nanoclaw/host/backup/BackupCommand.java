package io.nanoclaw.host.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.cli.NclAccess;
import io.nanoclaw.host.cli.NclCall;
import io.nanoclaw.host.cli.NclException;
import io.nanoclaw.host.cli.NclHandler;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code ncl backup [--to <absolute path>]}: writes one {@code .tar.gz} with the central DB, every session DB (each
 * through SQLite's online backup), the agents' conversation state and the groups folder, plus a manifest; by default
 * into {@code data/backups/nanoclaw-<UTC time>.tar.gz}. {@code ncl restore} (run with the host stopped) puts it back.
 */
@Singleton
public class BackupCommand implements NclHandler {
    @Inject
    Backups backups;

    @Override
    public String command() {
        return "backup";
    }

    @Override
    public NclAccess access() {
        return NclAccess.OPERATOR;
    }

    @Override
    public String summary() {
        return "a consistent archive of the central DB, every session DB and the groups folder (not .env)";
    }

    public String usage() {
        return "[--to <absolute path .tar.gz>]";
    }

    public void validate(NclCall call) throws NclException {
        target(call);
    }

    private Path target(NclCall call) throws NclException {
        try {
            return backups.checkTarget(call.optional("to"));
        } catch (Backups.Refused e) {
            throw new NclException(NclException.INVALID_ARGS, e.getMessage());
        }
    }

    @Override
    public JsonNode handle(NclCall call) throws NclException {
        Path target = target(call);
        Backups.Result r;
        try {
            r = backups.create(target);
        } catch (Backups.Refused e) {
            throw new NclException(NclException.HANDLER_ERROR, e.getMessage());
        } catch (IOException | RuntimeException e) {
            throw new NclException(NclException.HANDLER_ERROR, "backup failed: " + e.getMessage());
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("archive", r.archive().toString());
        out.put("bytes", r.bytes());
        out.put("sessions", r.sessions());
        out.put("files", r.files());
        if (!r.skipped().isEmpty()) {
            var sk = out.putArray("skipped");
            r.skipped().forEach(sk::add);
        }
        return out;
    }
}
