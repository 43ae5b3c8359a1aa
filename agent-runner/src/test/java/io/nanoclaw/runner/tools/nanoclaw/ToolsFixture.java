package io.nanoclaw.runner.tools.nanoclaw;

import io.nanoclaw.protocol.JournalMode;
import io.nanoclaw.protocol.SessionFiles;
import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.store.OutboundStore;
import io.nanoclaw.runner.store.ToolInbound;
import io.nanoclaw.runner.testing.SessionFixture;
import io.nanoclaw.runner.tools.Tool;
import io.nanoclaw.runner.tools.ToolContext;
import io.nanoclaw.runner.tools.ToolResult;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A session as the host leaves it plus the tools' side of it: the runner's writer on outbound.db, the tools' own
 * inbound reader, the batch id the tools stamp, and a liveness recorder. The only allowed root is the workspace.
 */
final class ToolsFixture implements AutoCloseable {
    static final String BATCH_ID = "m-batch-1";

    final SessionFixture session;
    final OutboundStore outbound;
    final ToolInbound inbound;
    final TestClock clock = new TestClock();
    final List<String> events = new CopyOnWriteArrayList<>();
    volatile String inReplyTo = BATCH_ID;
    final NanoclawToolEnv env;

    ToolsFixture(Path root) throws Exception {
        session = new SessionFixture(root);
        Path ws = session.workspace();
        outbound = OutboundStore.open(ws.resolve(SessionFiles.OUTBOUND_DB), JournalMode.WAL);
        inbound = ToolInbound.open(ws.resolve(SessionFiles.INBOUND_DB));
        env = new NanoclawToolEnv(outbound, inbound, ws, ws.resolve("agent"), ZoneId.of("America/New_York"),
                () -> inReplyTo, clock);
    }

    Path workspace() {
        return session.workspace();
    }

    ToolContext context() {
        return new ToolContext(workspace().resolve("agent"), List.of(workspace()), new ToolContext.Liveness() {
            @Override
            public void started(String tool, long declaredTimeoutMs) {
                events.add("started " + tool + " " + declaredTimeoutMs);
            }

            @Override
            public void stillWorking() {
                events.add("working");
            }

            @Override
            public void finished() {
                events.add("finished");
            }
        });
    }

    Tool tool(String name) {
        return NanoclawTools.all(env).stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no tool " + name));
    }

    ToolResult run(String tool, String inputJson) throws Exception {
        return tool(tool).run(Json.parse(inputJson), context());
    }

    /** The only row written so far (most tests write exactly one). */
    SessionFixture.OutRow onlyRow() throws Exception {
        List<SessionFixture.OutRow> rows = session.replies();
        if (rows.size() != 1) {
            throw new AssertionError("expected one outbound row, have " + rows.size());
        }
        return rows.get(0);
    }

    @Override
    public void close() throws Exception {
        inbound.close();
        outbound.close();
        session.close();
    }

    /** The real clock, or virtual time that moves only when the tool sleeps (timeouts without waiting). */
    static final class TestClock implements ToolClock {
        private volatile boolean virtual;
        private volatile Instant now = Instant.parse("2026-01-15T12:00:00Z");
        final List<Duration> sleeps = new CopyOnWriteArrayList<>();

        void useVirtualTime() {
            virtual = true;
        }

        @Override
        public Instant now() {
            return virtual ? now : Instant.now();
        }

        @Override
        public void sleep(Duration d) throws InterruptedException {
            sleeps.add(d);
            if (virtual) {
                now = now.plus(d);
            } else {
                Thread.sleep(d.toMillis());
            }
        }
    }
}
