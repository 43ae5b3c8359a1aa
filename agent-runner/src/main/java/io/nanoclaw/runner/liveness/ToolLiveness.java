package io.nanoclaw.runner.liveness;

import io.nanoclaw.runner.log.Log;
import io.nanoclaw.runner.store.OutboundStore;
import io.nanoclaw.runner.tools.ToolContext;
import java.sql.SQLException;

/**
 * What a running tool tells the host: container_state names the tool and its declared timeout (the sweep widens
 * its stuck limits by a Bash timeout), and the heartbeat keeps moving while a long command works.
 */
public final class ToolLiveness implements ToolContext.Liveness {
    private final OutboundStore outbound;
    private final Heartbeat heartbeat;

    public ToolLiveness(OutboundStore outbound, Heartbeat heartbeat) {
        this.outbound = outbound;
        this.heartbeat = heartbeat;
    }

    @Override
    public void started(String tool, long declaredTimeoutMs) {
        heartbeat.touch();
        write(tool, declaredTimeoutMs);
    }

    @Override
    public void stillWorking() {
        heartbeat.touch();
    }

    @Override
    public void finished() {
        heartbeat.touch();
        write(null, 0);
    }

    private void write(String tool, long timeoutMs) {
        try {
            outbound.writeRunningTool(tool, timeoutMs);
        } catch (SQLException e) {
            Log.warn("liveness", "cannot record the running tool: " + e.getMessage());
        }
    }
}
