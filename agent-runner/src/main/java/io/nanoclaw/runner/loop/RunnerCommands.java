package io.nanoclaw.runner.loop;

import io.nanoclaw.protocol.MessageKind;
import io.nanoclaw.runner.format.RowContent;
import io.nanoclaw.runner.store.InboundRow;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The commands the runner answers itself (the host gates and filters all others): {@code /clear} starts a new
 * conversation, {@code /compact} summarises the current one, {@code /context}, {@code /cost} and {@code /files}
 * report on it (the original passed these to Claude Code, which answered them; no model is asked here). As upstream, "/clearance" counts as /clear: the
 * check is a prefix of the trimmed, lowercased text.
 */
public final class RunnerCommands {
    public static final String CLEAR_REPLY = "Session cleared.";

    public enum Command { CLEAR, COMPACT, CONTEXT, COST, FILES }

    private RunnerCommands() {}

    public static Optional<Command> of(InboundRow row) {
        if (!MessageKind.CHAT.equals(row.kind()) && !MessageKind.CHAT_SDK.equals(row.kind())) {
            return Optional.empty();
        }
        String t = RowContent.text(RowContent.parse(row.content())).trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("/clear")) {
            return Optional.of(Command.CLEAR);
        }
        if (t.startsWith("/compact")) {
            return Optional.of(Command.COMPACT);
        }
        if (t.startsWith("/context")) {
            return Optional.of(Command.CONTEXT);
        }
        if (t.startsWith("/cost")) {
            return Optional.of(Command.COST);
        }
        if (t.startsWith("/files")) {
            return Optional.of(Command.FILES);
        }
        return Optional.empty();
    }

    public static boolean anyIn(List<InboundRow> rows) {
        return rows.stream().anyMatch(r -> of(r).isPresent());
    }
}
