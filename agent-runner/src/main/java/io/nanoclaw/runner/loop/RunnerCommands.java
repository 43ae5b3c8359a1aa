package io.nanoclaw.runner.loop;

import io.nanoclaw.protocol.MessageKind;
import io.nanoclaw.runner.format.RowContent;
import io.nanoclaw.runner.store.InboundRow;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The commands the runner answers itself (the host gates and filters all others): {@code /clear} starts a new
 * conversation, {@code /compact} summarises the current one. As upstream, "/clearance" counts as /clear: the
 * check is a prefix of the trimmed, lowercased text.
 */
public final class RunnerCommands {
    public static final String CLEAR_REPLY = "Session cleared.";

    public enum Command { CLEAR, COMPACT }

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
        return Optional.empty();
    }

    public static boolean anyIn(List<InboundRow> rows) {
        return rows.stream().anyMatch(r -> of(r).isPresent());
    }
}
