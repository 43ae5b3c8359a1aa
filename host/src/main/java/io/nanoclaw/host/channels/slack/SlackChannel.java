package io.nanoclaw.host.channels.slack;

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
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Slack over Socket Mode (no public URL needed) and the Web API (docs/channels/slack.md). Starts when both
 * SLACK_BOT_TOKEN and SLACK_APP_TOKEN are set. At start, auth.test with the bot token learns the bot's user id (for
 * mentions); a token Slack rejects stops this channel with a clear status, not the host.
 */
@Singleton
public class SlackChannel implements ChannelAdapter {
    private static final Logger LOG = Logger.getLogger(SlackChannel.class);
    public static final String CHANNEL_TYPE = "slack";
    /** Slack takes 40k characters in text, but long messages read badly and sections hold 3000. */
    static final int MAX_TEXT = 3900;

    /** Who the bot is, from auth.test. */
    static final class Identity {
        private volatile String userId;
        private volatile String name;

        String userId() {
            return userId;
        }

        String name() {
            return name;
        }
    }

    @Inject
    PlatformHttp http;
    @Inject
    Vertx vertx;

    private final SlackConfig config;
    private final Identity me = new Identity();
    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, String> channelNames = new ConcurrentHashMap<>();
    private volatile ChannelStatus status = ChannelStatus.of(CHANNEL_TYPE, State.STOPPED, "not started");
    private SlackApi api;
    private SlackOutbound outbound;
    private SocketModeClient socket;
    private ThreadPoolExecutor worker;

    public SlackChannel() {
        this.config = SlackConfig.fromEnv();
    }

    /** For tests: an adapter with its own settings, outside CDI. */
    SlackChannel(SlackConfig config, PlatformHttp http, Vertx vertx) {
        this.config = config;
        this.http = http;
        this.vertx = vertx;
    }

    @Override
    public String channelType() {
        return CHANNEL_TYPE;
    }

    @Override
    public ChannelCapabilities capabilities() {
        // typing: Slack has no typing indicator for bots outside the legacy RTM API
        return new ChannelCapabilities(true, false, true, true, true, true, true, false, MAX_TEXT);
    }

    @Override
    public Optional<String> notConfigured() {
        return config.notConfigured();
    }

    @Override
    public synchronized void start(InboundSink sink) {
        Optional<String> wrongKind = config.tokenKindProblem();
        if (wrongKind.isPresent()) {
            LOG.errorf("Slack channel not started: %s", wrongKind.get());
            setStatus(State.FAILED, wrongKind.get());
            return;
        }
        api = new SlackApi(http, config);
        outbound = new SlackOutbound(api);
        SlackInbound inbound = new SlackInbound(api, me);
        worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(10_000), r -> {
            Thread t = new Thread(r, "slack-inbound");
            t.setDaemon(true);
            return t;
        });
        socket = new SocketModeClient(vertx, api, this::authTest, this::setStatus, envelope -> {
            try {
                worker.execute(() -> inbound.handle(envelope, sink));
            } catch (RejectedExecutionException e) {
                LOG.warnf("Slack inbound queue full: envelope %s dropped", envelope.path("envelope_id").asText());
            }
        });
        socket.start();
    }

    /** Once per start: who the bot is. Rejected tokens surface as SlackApiException (the loop stops). */
    private void authTest() throws IOException {
        if (me.userId != null) {
            return;
        }
        JsonNode n = api.call("auth.test", mapper.createObjectNode());
        me.userId = SlackInbound.text(n, "user_id");
        me.name = SlackInbound.text(n, "user");
        LOG.infof("Slack: signed in as %s (%s) in %s", me.name, me.userId, n.path("team").asText("?"));
    }

    private void setStatus(State state, String detail) {
        status = ChannelStatus.of(CHANNEL_TYPE, state, detail);
    }

    @Override
    public synchronized void stop() {
        if (socket != null) {
            socket.stop();
        }
        if (worker != null) {
            worker.shutdownNow();
        }
        if (status.state() != State.FAILED) {
            setStatus(State.STOPPED, "stopped");
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

    @Override
    public String deliver(String platformId, String threadId, OutboundMessage message) throws Exception {
        if (outbound == null) {
            throw new IOException("the Slack channel is not running (" + status.detail() + ")");
        }
        return outbound.deliver(platformId, threadId, message);
    }

    @Override
    public Optional<String> openDm(String userHandle) throws Exception {
        if (api == null || userHandle == null || userHandle.isBlank()) {
            return Optional.empty();
        }
        JsonNode n = api.call("conversations.open", mapper.createObjectNode().put("users", userHandle));
        return Optional.ofNullable(SlackInbound.text(n.path("channel"), "id"));
    }

    @Override
    public Optional<String> resolveChannelName(String platformId) {
        if (api == null || platformId == null) {
            return Optional.empty();
        }
        String cached = channelNames.get(platformId);
        if (cached != null) {
            return Optional.of(cached);
        }
        try {
            JsonNode ch = api.callForm("conversations.info", Map.of("channel", platformId)).path("channel");
            String name = SlackInbound.text(ch, "name");
            if (name == null || ch.path("is_im").asBoolean(false)) {
                return Optional.empty();
            }
            String shown = (ch.path("is_mpim").asBoolean(false) ? "" : "#") + name;
            channelNames.put(platformId, shown);
            return Optional.of(shown);
        } catch (IOException e) {
            LOG.debugf("conversations.info %s: %s", platformId, e.getMessage());
            return Optional.empty();
        }
    }
}
