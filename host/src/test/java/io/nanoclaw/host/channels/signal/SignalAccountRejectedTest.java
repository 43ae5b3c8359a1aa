package io.nanoclaw.host.channels.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.nanoclaw.host.channels.ChannelRegistry;
import io.nanoclaw.host.channels.ChannelStatus;
import io.nanoclaw.host.channels.OutboundMessage;
import io.nanoclaw.host.channels.PlatformUnavailableException;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A daemon that does not have the account: a clear FAILED status at start, no reconnect loop, the host and the
 * other channels unaffected. */
@QuarkusTest
@TestProfile(SignalHost.AccountRejected.class)
class SignalAccountRejectedTest {
    @Inject
    ChannelRegistry channels;

    private ChannelStatus signal() {
        return channels.statuses().stream().filter(s -> s.channelType().equals("signal")).findFirst()
                .orElseThrow();
    }

    @Test
    void theChannelFailsWithTheDaemonsMessageAndDoesNotLoop() throws Exception {
        SignalChannelTest.await("signal FAILED", () -> signal().state() == ChannelStatus.State.FAILED, 10_000);
        assertTrue(signal().detail().contains(SignalHost.AccountRejected.ERROR), signal().detail());
        assertTrue(signal().detail().contains(SignalHost.ACCOUNT), signal().detail());
        int connections = SignalHost.daemon.connections.get();
        Thread.sleep(3_000); // the backoff would have retried at least once by now
        assertEquals(connections, SignalHost.daemon.connections.get(), "no reconnect loop");
        assertEquals(1, SignalHost.daemon.requests.size(), "one check, nothing after it");
        assertEquals("listGroups", SignalHost.daemon.requests.get(0).path("method").asText());

        var adapter = channels.get("signal").orElseThrow();
        assertFalse(adapter.isConnected());
        IOException e = assertThrows(IOException.class, () -> adapter.deliver("+15557654321", null,
                new OutboundMessage(null, "chat", JsonNodeFactory.instance.objectNode().put("text", "hi"),
                        List.of())));
        assertFalse(e instanceof PlatformUnavailableException, "not an outage to retry for half an hour");

        ChannelStatus cli = channels.statuses().stream().filter(s -> s.channelType().equals("cli")).findFirst()
                .orElseThrow();
        assertEquals(ChannelStatus.State.CONNECTED, cli.state(), "the other channels run on");
    }
}
