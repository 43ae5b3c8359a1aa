package io.nanoclaw.runner.loop;

import io.nanoclaw.runner.agent.AgentSession;
import io.nanoclaw.runner.dispatch.ReplyAddress;
import io.nanoclaw.runner.dispatch.ReplyDispatcher;
import io.nanoclaw.runner.format.MessageFormatter;
import io.nanoclaw.runner.liveness.Heartbeat;
import io.nanoclaw.runner.log.Log;
import io.nanoclaw.runner.provider.ProviderException;
import io.nanoclaw.runner.store.AckStatus;
import io.nanoclaw.runner.store.InboundRow;
import io.nanoclaw.runner.store.MaxSeqSource;
import io.nanoclaw.runner.store.OutboundMessage;
import io.nanoclaw.runner.store.OutboundStore;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs one batch: claim (ack processing), handle /clear, ask the model, then write the reply and the final acks
 * in one transaction. A failed model call is answered with an {@code Error:} row and the rows stay
 * {@code failed}: the user is told, and nothing is ever recorded as completed that wasn't.
 */
public final class BatchProcessor {
    private final OutboundStore outbound;
    private final MaxSeqSource seqs;
    private final MessageFormatter formatter;
    private final AgentSession agent;
    private final ReplyDispatcher dispatcher;
    private final Heartbeat heartbeat;
    private final ReplyAddress.SessionRoutingSource sessionRouting;

    public BatchProcessor(OutboundStore outbound, MaxSeqSource seqs, MessageFormatter formatter, AgentSession agent,
                          ReplyDispatcher dispatcher, Heartbeat heartbeat,
                          ReplyAddress.SessionRoutingSource sessionRouting) {
        this.sessionRouting = sessionRouting;
        this.outbound = outbound;
        this.seqs = seqs;
        this.formatter = formatter;
        this.agent = agent;
        this.dispatcher = dispatcher;
        this.heartbeat = heartbeat;
    }

    public void process(List<InboundRow> batch) throws SQLException {
        long started = System.nanoTime();
        heartbeat.touch();
        outbound.ack(ids(batch), AckStatus.PROCESSING);
        List<InboundRow> rest = batch;
        Optional<InboundRow> clear = ClearCommand.findFirst(batch);
        if (clear.isPresent()) {
            rest = clearSession(batch, clear.get());
        }
        String outcome = rest.isEmpty() ? "cleared" : answer(rest);
        heartbeat.touch();
        Log.info("loop", "batch of " + batch.size() + " " + outcome + " in "
                + (System.nanoTime() - started) / 1_000_000 + " ms");
    }

    /** Resets the conversation and confirms; the batch's other rows still run, in the new conversation. */
    private List<InboundRow> clearSession(List<InboundRow> batch, InboundRow command) throws SQLException {
        agent.clear();
        ReplyAddress to = ReplyAddress.of(command);
        outbound.write(List.of(OutboundMessage.chat(ClearCommand.REPLY, to.routing(), to.inReplyTo())),
                List.of(command.id()), AckStatus.COMPLETED, seqs);
        List<InboundRow> rest = new ArrayList<>(batch);
        rest.remove(command);
        return rest;
    }

    private String answer(List<InboundRow> rows) throws SQLException {
        ReplyAddress address = ReplyAddress.forBatch(rows, sessionRouting);
        List<String> ids = ids(rows);
        String finalText;
        try {
            finalText = agent.respond(formatter.format(rows));
        } catch (ProviderException e) {
            Log.warn("loop", "model call failed: " + e.getMessage());
            fail(ids, address, e.getMessage());
            return "failed";
        } catch (SQLException | RuntimeException e) {
            // a bug or a broken inbound read must not leave the rows claimed forever with the user unanswered
            Log.error("loop", "batch failed", e);
            fail(ids, address, "the agent runner hit an internal error (" + e.getClass().getSimpleName() + ")");
            return "failed";
        }
        List<OutboundMessage> replies = dispatcher.dispatch(finalText, address);
        outbound.write(replies, ids, AckStatus.COMPLETED, seqs);
        return replies.isEmpty() ? "answered without a message" : "answered";
    }

    private void fail(List<String> ids, ReplyAddress address, String message) throws SQLException {
        outbound.write(List.of(OutboundMessage.chat("Error: " + message, address.routing(), address.inReplyTo())),
                ids, AckStatus.FAILED, seqs);
    }

    private static List<String> ids(List<InboundRow> rows) {
        List<String> ids = new ArrayList<>(rows.size());
        rows.forEach(r -> ids.add(r.id()));
        return ids;
    }
}
