package io.nanoclaw.runner.ncl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.protocol.JournalMode;
import io.nanoclaw.protocol.MessageIds;
import io.nanoclaw.protocol.MessageKind;
import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.provider.Sleeper;
import io.nanoclaw.runner.store.AckStatus;
import io.nanoclaw.runner.store.OutboundMessage;
import io.nanoclaw.runner.store.OutboundStore;
import io.nanoclaw.runner.store.SystemAnswers;
import io.nanoclaw.runner.store.ToolInbound;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The session-DB transport of {@code ncl} inside a container (agent-runner.md 3.6): a {@code cli_request} system row
 * into outbound.db, then the host's {@code cli_response} row out of inbound.db. This process is a second writer of
 * outbound.db next to the runner; SQLite's lock and the seq chosen inside {@code BEGIN IMMEDIATE} keep the two
 * apart. Each poll opens a fresh read connection, as upstream does, so the read never sits on a stale view whatever
 * the journal mode.
 */
final class NclClient {
    static final Duration POLL = Duration.ofMillis(500);

    private final Path inboundDb;
    private final Path outboundDb;
    private final JournalMode journalMode;
    private final Duration timeout;
    private final Sleeper sleeper;
    private final LongSupplier nanoTime;

    NclClient(Path inboundDb, Path outboundDb, JournalMode journalMode, Duration timeout, Sleeper sleeper,
              LongSupplier nanoTime) {
        this.inboundDb = inboundDb;
        this.outboundDb = outboundDb;
        this.journalMode = journalMode;
        this.timeout = timeout;
        this.sleeper = sleeper;
        this.nanoTime = nanoTime;
    }

    /** Sends the request and returns the response frame, or empty when none came within the timeout. */
    Optional<JsonNode> call(String command, ObjectNode args) throws SQLException, InterruptedException {
        try (OutboundStore outbound = OutboundStore.open(outboundDb, journalMode)) {
            String requestId = MessageIds.next("cli");
            ObjectNode content = Json.object();
            content.put("action", "cli_request");
            content.put("requestId", requestId);
            content.put("command", command);
            content.set("args", args);
            try (ToolInbound inbound = ToolInbound.open(inboundDb)) {
                outbound.write(List.of(new OutboundMessage(requestId, MessageKind.SYSTEM, content.toString(), null,
                        null)), List.of(), AckStatus.COMPLETED, inbound);
            }
            long deadline = nanoTime.getAsLong() + timeout.toNanos();
            while (true) {
                Optional<SystemAnswers.Answer> answer;
                try (ToolInbound inbound = ToolInbound.open(inboundDb)) {
                    answer = SystemAnswers.find(inbound, outbound, "cli_response", "requestId", requestId);
                }
                if (answer.isPresent()) {
                    outbound.ack(List.of(answer.get().rowId()), AckStatus.COMPLETED);
                    JsonNode frame = answer.get().content().get("frame");
                    if (frame == null || !frame.isObject()) {
                        throw new SQLException("the host's response has no frame");
                    }
                    return Optional.of(frame);
                }
                long left = deadline - nanoTime.getAsLong();
                if (left <= 0) {
                    return Optional.empty();
                }
                sleeper.sleep(Duration.ofNanos(Math.min(left, POLL.toNanos())));
            }
        }
    }
}
