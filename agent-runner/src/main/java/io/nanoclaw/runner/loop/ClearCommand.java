package io.nanoclaw.runner.loop;

import io.nanoclaw.protocol.MessageKind;
import io.nanoclaw.runner.format.RowContent;
import io.nanoclaw.runner.store.InboundRow;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** {@code /clear}: the one command the runner handles itself (the host gates and filters all others). */
public final class ClearCommand {
    public static final String REPLY = "Session cleared.";

    private ClearCommand() {}

    public static Optional<InboundRow> findFirst(List<InboundRow> batch) {
        for (InboundRow r : batch) {
            if (isClear(r)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** A chat whose trimmed, lowercased text starts with /clear (as upstream, "/clearance" counts too). */
    public static boolean isClear(InboundRow row) {
        if (!MessageKind.CHAT.equals(row.kind()) && !MessageKind.CHAT_SDK.equals(row.kind())) {
            return false;
        }
        return RowContent.text(RowContent.parse(row.content())).trim().toLowerCase(Locale.ROOT).startsWith("/clear");
    }
}
