package io.nanoclaw.host.channels.discord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nanoclaw.host.channels.ChannelAdapter;
import io.nanoclaw.host.channels.ChannelCapabilities;
import io.nanoclaw.host.channels.ChannelStatus;
import io.nanoclaw.host.channels.ChannelStatus.State;
import io.nanoclaw.host.channels.InboundSink;
import io.nanoclaw.host.channels.OutboundMessage;
import io.nanoclaw.host.channels.http.PlatformHttp;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.jboss.logging.Logger;

/**
 * Discord: the Gateway v10 for what users say and click, REST v10 for what the agent sends (docs/channels/discord.md).
 * Guild channels are chats; a thread is its parent channel's chat with the thread's channel id as thread id; a DM
 * is a chat of its own that always counts as a mention. Starts only with {@code DISCORD_BOT_TOKEN}; a token Discord
 * rejects stops this channel with a clear status and no reconnect loop.
 */
@Singleton
public class DiscordChannel implements ChannelAdapter {
    private static final Logger LOG = Logger.getLogger(DiscordChannel.class);
    public static final String CHANNEL_TYPE = "discord";

    @Inject
    PlatformHttp http;
    @Inject
    Vertx vertx;

    private final DiscordConfig config;
    private final ObjectMapper mapper = new ObjectMapper();
    private volatile ChannelStatus status;
    private volatile DiscordRest rest;
    private volatile DiscordGateway gateway;
    private volatile DiscordChannels channels;
    private volatile DiscordOutbound outbound;
    private volatile ExecutorService inboundWorker;
    private volatile ExecutorService actionWorker;

    public DiscordChannel() {
        this(DiscordConfig.fromEnv());
    }

    DiscordChannel(DiscordConfig config) {
        this.config = config;
        this.status = config.token().isEmpty()
                ? ChannelStatus.of(CHANNEL_TYPE, State.NOT_CONFIGURED, "DISCORD_BOT_TOKEN is not set")
                : ChannelStatus.of(CHANNEL_TYPE, State.STOPPED, "not started");
    }

    /** For tests: another instance (another token) on the given HTTP client and Vert.x. */
    DiscordChannel(DiscordConfig config, PlatformHttp http, Vertx vertx) {
        this(config);
        this.http = http;
        this.vertx = vertx;
    }

    @Override
    public String channelType() {
        return CHANNEL_TYPE;
    }

    @Override
    public ChannelCapabilities capabilities() {
        // threads, typing, edits, reactions, buttons, files, openDm; no subscribe (the gateway sends everything)
        return new ChannelCapabilities(true, true, true, true, true, true, true, false, DiscordOutbound.MAX_TEXT);
    }

    @Override
    public Optional<String> notConfigured() {
        return config.token().isEmpty() ? Optional.of("DISCORD_BOT_TOKEN is not set") : Optional.empty();
    }

    @Override
    public synchronized void start(InboundSink sink) {
        if (config.token().isEmpty()) {
            return;
        }
        stop();
        String token = config.token().get();
        rest = new DiscordRest(http, config.apiBaseUrl(), token);
        channels = new DiscordChannels(rest);
        outbound = new DiscordOutbound(rest);
        inboundWorker = Executors.newSingleThreadExecutor(r -> daemon(r, "discord-inbound"));
        actionWorker = Executors.newSingleThreadExecutor(r -> daemon(r, "discord-actions"));
        DiscordGateway[] self = new DiscordGateway[1];
        DiscordInbound inbound = new DiscordInbound(CHANNEL_TYPE, sink, rest, http, channels,
                () -> self[0] == null ? null : self[0].botUserId());
        ExecutorService in = inboundWorker;
        ExecutorService act = actionWorker;
        DiscordGateway g = new DiscordGateway(vertx, rest, token, config.gatewayUrl(), new DiscordGateway.Listener() {
            @Override
            public void onDispatch(String type, JsonNode data) {
                try {
                    // clicks on their own worker: Discord wants the acknowledgement within 3 s, even while a
                    // large attachment is downloading for a message
                    if ("INTERACTION_CREATE".equals(type)) {
                        act.execute(() -> inbound.interaction(data));
                    } else {
                        in.execute(() -> inbound.onDispatch(type, data));
                    }
                } catch (RejectedExecutionException e) {
                    LOG.debugf("Discord %s after stop: dropped", type);
                }
            }

            @Override
            public void onStatus(State state, String detail) {
                status = ChannelStatus.of(CHANNEL_TYPE, state, detail);
            }
        });
        self[0] = g;
        gateway = g;
        status = ChannelStatus.of(CHANNEL_TYPE, State.CONNECTING, "starting");
        g.start();
        LOG.infof("Discord channel starting (%s)", config);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public synchronized void stop() {
        DiscordGateway g = gateway;
        if (g != null) {
            g.stop();
            gateway = null;
            status = ChannelStatus.of(CHANNEL_TYPE, State.STOPPED, "stopped");
        }
        if (inboundWorker != null) {
            inboundWorker.shutdown();
            actionWorker.shutdown();
            inboundWorker = null;
            actionWorker = null;
        }
    }

    @Override
    public boolean isConnected() {
        return status.state() == State.CONNECTED;
    }

    @Override
    public ChannelStatus status() {
        return status;
    }

    DiscordGateway gateway() {
        return gateway;
    }

    @Override
    public String deliver(String platformId, String threadId, OutboundMessage message) throws Exception {
        DiscordOutbound o = outbound;
        if (o == null) {
            throw new IllegalStateException("the Discord channel is not started");
        }
        return o.deliver(platformId, threadId, message);
    }

    @Override
    public void setTyping(String platformId, String threadId) {
        DiscordRest r = rest;
        String channel = threadId != null && !threadId.isBlank() ? threadId : platformId;
        if (r == null || !DiscordIds.isSnowflake(channel)) {
            return;
        }
        String path = "/channels/" + channel + "/typing";
        if (!r.waitFor("POST", path).isZero()) {
            return; // cosmetic: never wait for it
        }
        try {
            r.json("POST", path, null);
        } catch (Exception e) {
            LOG.debugf("Discord typing in %s: %s", channel, e.getMessage());
        }
    }

    @Override
    public Optional<String> openDm(String userHandle) throws Exception {
        DiscordRest r = rest;
        if (r == null || !DiscordIds.isSnowflake(userHandle)) {
            return Optional.empty();
        }
        JsonNode ch = r.json("POST", "/users/@me/channels", mapper.createObjectNode().put("recipient_id", userHandle));
        return Optional.ofNullable(ch == null ? null : ch.path("id").asText(null));
    }

    @Override
    public Optional<String> resolveChannelName(String platformId) {
        DiscordChannels c = channels;
        if (c == null) {
            return Optional.empty();
        }
        return c.lookup(platformId).map(DiscordChannels.Info::name).filter(n -> !n.isBlank()).map(n -> "#" + n);
    }
}
