package io.nanoclaw.runner.loop;

import io.nanoclaw.runner.agent.AgentSession;
import io.nanoclaw.runner.dispatch.DestinationDispatcher;
import io.nanoclaw.runner.dispatch.Dispatch;
import io.nanoclaw.runner.dispatch.Nudge;
import io.nanoclaw.runner.dispatch.ReplyAddress;
import io.nanoclaw.runner.format.MessageFormatter;
import io.nanoclaw.runner.liveness.Heartbeat;
import io.nanoclaw.runner.log.Log;
import io.nanoclaw.runner.provider.ProviderException;
import io.nanoclaw.runner.store.AckStatus;
import io.nanoclaw.runner.store.Destination;
import io.nanoclaw.runner.store.InboundRow;
import io.nanoclaw.runner.store.InboundStore;
import io.nanoclaw.runner.store.OutboundMessage;
import io.nanoclaw.runner.store.OutboundStore;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs one batch: claim (ack processing), runner commands, pre-task scripts, then the agent's turn, whose final
 * text is dispatched by {@code <message to>} blocks (with one nudge when it delivered nothing), written together
 * with the final acks in one transaction. A failed model call is answered with an {@code Error:} row and the rows
 * stay {@code failed}: the user is told, and nothing is ever recorded as completed that wasn't.
 */
public final class BatchProcessor {
    private final OutboundStore outbound;
    private final InboundStore inbound;
    private final MessageFormatter formatter;
    private final AgentSession agent;
    private final DestinationDispatcher dispatcher;
    private final Heartbeat heartbeat;
    private final PreTaskScripts scripts;
    private final PendingSelector followUpSelector;
    private final CurrentBatch current;
    private final java.nio.file.Path agentDir;

    /**
     * @param followUpSelector the loop's selector (past its first poll), used between model calls to pick up
     *                         messages that arrive during a turn
     */
    public BatchProcessor(OutboundStore outbound, InboundStore inbound, MessageFormatter formatter,
                          AgentSession agent, DestinationDispatcher dispatcher, Heartbeat heartbeat,
                          PreTaskScripts scripts, PendingSelector followUpSelector, CurrentBatch current,
                          java.nio.file.Path agentDir) {
        this.current = current;
        this.agentDir = agentDir;
        this.outbound = outbound;
        this.inbound = inbound;
        this.formatter = formatter;
        this.agent = agent;
        this.dispatcher = dispatcher;
        this.heartbeat = heartbeat;
        this.scripts = scripts;
        this.followUpSelector = followUpSelector;
    }

    public void process(List<InboundRow> batch) throws SQLException {
        long started = System.nanoTime();
        heartbeat.touch();
        outbound.ack(ids(batch), AckStatus.PROCESSING);
        List<InboundRow> rest = runCommands(batch);
        rest = scripts.run(rest);
        String outcome = rest.isEmpty() ? "handled without the model" : answer(rest);
        heartbeat.touch();
        Log.info("loop", "batch of " + batch.size() + " " + outcome + " in "
                + (System.nanoTime() - started) / 1_000_000 + " ms");
    }

    /** /clear and /compact, in batch order; the batch's other rows still run afterwards. */
    private List<InboundRow> runCommands(List<InboundRow> batch) throws SQLException {
        List<InboundRow> rest = new ArrayList<>(batch.size());
        for (InboundRow r : batch) {
            Optional<RunnerCommands.Command> c = RunnerCommands.of(r);
            if (c.isEmpty()) {
                rest.add(r);
                continue;
            }
            String reply;
            AckStatus status = AckStatus.COMPLETED;
            switch (c.get()) {
                case CLEAR -> {
                    agent.clear();
                    reply = RunnerCommands.CLEAR_REPLY;
                }
                case COMPACT -> {
                    try {
                        reply = agent.compactNow();
                    } catch (ProviderException e) {
                        reply = "Error: could not compact: " + e.getMessage();
                        status = AckStatus.FAILED;
                    }
                }
                case CONTEXT -> reply = agent.contextReport();
                case COST -> reply = agent.costReport();
                default -> reply = WorkspaceFiles.list(agentDir);
            }
            ReplyAddress to = ReplyAddress.of(r);
            outbound.write(List.of(OutboundMessage.chat(reply, to.routing(), to.inReplyTo())), List.of(r.id()),
                    status, inbound);
        }
        return rest;
    }

    private String answer(List<InboundRow> rows) throws SQLException {
        ReplyAddress address = ReplyAddress.forBatch(rows, inbound::sessionRouting);
        List<String> ids = ids(rows);
        String firstId = rows.get(0).id();
        FollowUpPoller followUps = new FollowUpPoller(followUpSelector, outbound, scripts, formatter, ids);
        List<OutboundMessage> replies = new ArrayList<>();
        current.set(firstId);
        try {
            Dispatch first = dispatcher.dispatch(agent.respond(formatter.format(rows), followUps), firstId);
            replies.addAll(first.messages());
            if (first.needsNudge()) {
                replies.addAll(nudge(first, firstId, followUps));
            }
        } catch (ProviderException e) {
            Log.warn("loop", "model call failed: " + e.getMessage());
            fail(ids, address, e.getMessage());
            return "failed";
        } catch (SQLException | RuntimeException e) {
            // a bug or a broken inbound read must not leave the rows claimed forever with the user unanswered
            Log.error("loop", "batch failed", e);
            fail(ids, address, "the agent runner hit an internal error (" + e.getClass().getSimpleName() + ")");
            return "failed";
        } finally {
            current.clear();
        }
        outbound.write(replies, ids, AckStatus.COMPLETED, inbound);
        agent.compactIfNeeded().ifPresent(notice -> tell(notice, address));
        return replies.isEmpty() ? "answered without a message" : "answered with " + replies.size() + " message(s)";
    }

    /**
     * The one reminder when the answer delivered nothing or addressed unknown names. Its answer is dispatched as
     * it comes, with no second nudge; if the nudge itself fails, what the first answer did deliver still goes.
     */
    private List<OutboundMessage> nudge(Dispatch first, String firstId, FollowUpPoller followUps)
            throws SQLException {
        List<Destination> destinations = inbound.destinations();
        Log.info("loop", "nudging: " + (first.unknownNames().isEmpty() ? "nothing was wrapped in <message to>"
                : "unknown destination(s) " + first.unknownNames()));
        try {
            return dispatcher.dispatch(agent.respond(Nudge.text(first, destinations), followUps), firstId).messages();
        } catch (ProviderException e) {
            Log.warn("loop", "the nudge's model call failed: " + e.getMessage());
            return List.of();
        }
    }

    /** A notice from the runner itself (compaction): straight to the batch's address, never through a nudge. */
    private void tell(String text, ReplyAddress address) {
        try {
            outbound.write(List.of(OutboundMessage.chat(text, address.routing(), address.inReplyTo())), List.of(),
                    AckStatus.COMPLETED, inbound);
        } catch (SQLException e) {
            Log.warn("loop", "cannot write the notice \"" + text + "\": " + e.getMessage());
        }
    }

    private void fail(List<String> ids, ReplyAddress address, String message) throws SQLException {
        outbound.write(List.of(OutboundMessage.chat("Error: " + message, address.routing(), address.inReplyTo())),
                ids, AckStatus.FAILED, inbound);
    }

    private static List<String> ids(List<InboundRow> rows) {
        List<String> ids = new ArrayList<>(rows.size());
        rows.forEach(r -> ids.add(r.id()));
        return ids;
    }
}
