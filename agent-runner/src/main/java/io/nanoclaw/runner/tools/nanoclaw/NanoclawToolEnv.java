package io.nanoclaw.runner.tools.nanoclaw;

import io.nanoclaw.protocol.SessionFiles;
import io.nanoclaw.runner.config.RunnerEnvironment;
import io.nanoclaw.runner.store.OutboundStore;
import io.nanoclaw.runner.store.ToolInbound;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.function.Supplier;

/**
 * What the nanoclaw tools share. They run in the runner's process, so unlike upstream's separate MCP server they
 * know the batch being answered: {@code currentInReplyTo} gives its first row's id (null between batches), and
 * send_message/send_file stamp it as {@code in_reply_to}.
 *
 * @param outbound         the runner's single writer on outbound.db
 * @param inbound          the tools' own read-only connection on inbound.db (never the poll loop's)
 * @param workspace        the session folder (/workspace): outbox/ lives here
 * @param agentDir         the group folder (/workspace/agent): send_file's relative paths start here
 * @param zone             the user's zone: naive schedule times are wall-clock times in it
 * @param currentInReplyTo the id of the first row of the batch being processed, or null
 * @param clock            waits and timeouts
 */
public record NanoclawToolEnv(
        OutboundStore outbound,
        ToolInbound inbound,
        Path workspace,
        Path agentDir,
        ZoneId zone,
        Supplier<String> currentInReplyTo,
        ToolClock clock) implements AutoCloseable {

    /** The tools' environment for a running session; opens the tools' inbound connection (close it at exit). */
    public static NanoclawToolEnv open(RunnerEnvironment env, OutboundStore outbound,
                                       Supplier<String> currentInReplyTo) throws SQLException {
        return new NanoclawToolEnv(outbound, ToolInbound.open(env.inboundDb()), env.workspace(),
                env.workspace().resolve("agent"), env.zone(), currentInReplyTo, ToolClock.SYSTEM);
    }

    public Path outbox() {
        return workspace.resolve(SessionFiles.OUTBOX);
    }

    public String inReplyTo() {
        return currentInReplyTo == null ? null : currentInReplyTo.get();
    }

    @Override
    public void close() throws SQLException {
        inbound.close();
    }
}
