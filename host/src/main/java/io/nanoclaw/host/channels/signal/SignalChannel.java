package io.nanoclaw.host.channels.signal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nanoclaw.host.channels.ChannelAdapter;
import io.nanoclaw.host.channels.ChannelCapabilities;
import io.nanoclaw.host.channels.ChannelStatus;
import io.nanoclaw.host.channels.InboundSink;
import io.nanoclaw.host.channels.OutboundMessage;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Signal through a signal-cli daemon's JSON-RPC on a TCP socket ({@code signal-cli -a +NUMBER daemon --tcp}),
 * docs/channels/signal.md. Chats: a DM is the user's number (or ACI), a group is {@code group:<groupId>}. No
 * threads and no buttons (cards arrive as numbered text and a typed number answers them); edits, reactions,
 * files and typing work.
 */
@Singleton
public class SignalChannel implements ChannelAdapter {
    private static final Logger LOG = Logger.getLogger(SignalChannel.class);
    public static final String CHANNEL_TYPE = "signal";
    public static final String GROUP_PREFIX = "group:";
    /** Signal itself takes longer texts (signal-cli sends them as a long-text attachment), but they read badly. */
    static final int MAX_TEXT_LENGTH = 2000;

    private final SignalConfig config;
    private final Duration firstBackoff;
    private final ObjectMapper mapper = new ObjectMapper();
    private final EditChains edits = new EditChains();
    private volatile SignalLink link;
    private volatile SignalOutbound outbound;
    private volatile ExecutorService inboundWorker;

    /** A bad setting (say SIGNAL_RPC_ADDRESS) turns the channel off with the reason, never the host. */
    private final String configProblem;

    public SignalChannel() {
        SignalConfig c = null;
        String problem = null;
        try {
            c = SignalConfig.fromEnvironment();
        } catch (IllegalArgumentException e) {
            problem = e.getMessage();
        }
        this.config = c;
        this.configProblem = problem;
        this.firstBackoff = Duration.ofSeconds(1);
    }

    SignalChannel(SignalConfig config, Duration firstBackoff) {
        this.config = config;
        this.configProblem = null;
        this.firstBackoff = firstBackoff;
    }

    @Override
    public String channelType() {
        return CHANNEL_TYPE;
    }

    @Override
    public ChannelCapabilities capabilities() {
        return new ChannelCapabilities(false, true, true, true, false, true, false, false, MAX_TEXT_LENGTH);
    }

    @Override
    public Optional<String> notConfigured() {
        return configProblem != null ? Optional.of(configProblem) : config.notConfigured();
    }

    @Override
    public synchronized void start(InboundSink sink) {
        if (link != null) {
            return;
        }
        if (notConfigured().isPresent()) {
            throw new IllegalStateException(notConfigured().get());
        }
        // One thread, in arrival order: fetching attachments waits on the daemon, which the reader must keep serving.
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "signal-inbound");
            t.setDaemon(true);
            return t;
        });
        SignalLink l = new SignalLink(config, mapper, n -> worker.execute(() -> handle(n, sink)), firstBackoff);
        inbound = new SignalInbound(config, l, mapper, edits);
        outbound = new SignalOutbound(config.account().orElseThrow(), l, mapper, edits);
        inboundWorker = worker;
        link = l;
        l.start();
        LOG.infof("Signal channel starting: signal-cli JSON-RPC at %s, account %s", config.address(),
                config.account().orElseThrow());
    }

    private volatile SignalInbound inbound;

    private void handle(JsonNode notification, InboundSink sink) {
        SignalInbound in = inbound;
        if (in != null) {
            in.handle(notification, sink);
        }
    }

    @Override
    public synchronized void stop() {
        SignalLink l = link;
        if (l != null) {
            l.stop();
        }
        ExecutorService w = inboundWorker;
        if (w != null) {
            w.shutdown();
            try {
                w.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isConnected() {
        SignalLink l = link;
        return l != null && l.state() == ChannelStatus.State.CONNECTED;
    }

    @Override
    public ChannelStatus status() {
        SignalLink l = link;
        if (l == null) {
            return notConfigured().map(w -> ChannelStatus.of(CHANNEL_TYPE,
                    ChannelStatus.State.NOT_CONFIGURED, w)).orElse(ChannelStatus.of(CHANNEL_TYPE,
                    ChannelStatus.State.STOPPED, "not started"));
        }
        return ChannelStatus.of(CHANNEL_TYPE, l.state(), l.detail());
    }

    @Override
    public String deliver(String platformId, String threadId, OutboundMessage message) throws Exception {
        SignalOutbound out = outbound;
        if (out == null) {
            throw new IllegalStateException("the Signal channel is not started");
        }
        return out.deliver(platformId, message);
    }

    @Override
    public void setTyping(String platformId, String threadId) {
        SignalOutbound out = outbound;
        if (out != null) {
            out.typing(platformId);
        }
    }

    /** A group's name from the daemon's {@code listGroups} at connect time. */
    @Override
    public Optional<String> resolveChannelName(String platformId) {
        SignalLink l = link;
        if (l == null || platformId == null || !platformId.startsWith(GROUP_PREFIX) || l.groups() == null) {
            return Optional.empty();
        }
        String id = platformId.substring(GROUP_PREFIX.length());
        for (JsonNode g : l.groups()) {
            if (id.equals(g.path("id").asText()) && g.path("name").isTextual() && !g.path("name").asText()
                    .isBlank()) {
                return Optional.of(g.path("name").asText());
            }
        }
        return Optional.empty();
    }
}
