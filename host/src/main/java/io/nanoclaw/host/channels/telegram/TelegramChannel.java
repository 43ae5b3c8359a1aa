package io.nanoclaw.host.channels.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.channels.ActionEvent;
import io.nanoclaw.host.channels.ChannelAdapter;
import io.nanoclaw.host.channels.ChannelCapabilities;
import io.nanoclaw.host.channels.ChannelStatus;
import io.nanoclaw.host.channels.InboundSink;
import io.nanoclaw.host.channels.OutboundMessage;
import io.nanoclaw.host.channels.PlatformUnavailableException;
import io.nanoclaw.host.channels.RateLimitedException;
import io.nanoclaw.host.channels.http.Backoff;
import io.nanoclaw.host.channels.http.PlatformHttp;
import io.nanoclaw.host.channels.pairing.PairingCodes;
import io.nanoclaw.host.config.HostConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * Telegram through the Bot API with long polling (no public URL needed): getMe once to learn the bot's id and
 * username, then getUpdates in a loop on a daemon thread. Each update is handed to the router and only then
 * confirmed (the next offset is stored in {@code data/channels/telegram.offset} and sent with the next poll), so an
 * outage or restart neither loses nor repeats one. An outage is retried with backoff; a 429 waits what Telegram
 * asks; a rejected token stops this channel (status FAILED) and nothing else.
 */
@Singleton
public class TelegramChannel implements ChannelAdapter {
    private static final Logger LOG = Logger.getLogger(TelegramChannel.class);
    public static final String CHANNEL_TYPE = "telegram";
    /** Text longer than this is split by the host before it gets here (Telegram's hard limit is 4096). */
    static final int MAX_TEXT_LENGTH = 4000;
    static final int MAX_SINK_ATTEMPTS = 3;

    @Inject
    PlatformHttp http;
    @Inject
    HostConfig hostConfig;
    @Inject
    PairingCodes pairing;

    /** Set by tests; else read from config on first use. */
    volatile TelegramConfig config;
    /** Set by tests; else {@code data/channels/telegram.offset}. */
    volatile Path offsetFile;
    Duration firstBackoff = Duration.ofSeconds(1);

    private volatile TelegramApi api;
    private volatile TelegramOutbound outbound;
    private volatile TelegramInbound inbound;
    private volatile TelegramInbound.Bot bot;
    private volatile ChannelStatus.State state = ChannelStatus.State.STOPPED;
    private volatile String detail = "not started";
    private volatile boolean tokenRejected;
    private final AtomicLong generation = new AtomicLong();
    /** Held while one update is handled and confirmed: stop() waits for it, so a restart never handles it twice. */
    private final ReentrantLock handling = new ReentrantLock();
    private final Object sleeper = new Object();
    private long failingUpdate = -1;
    private int failingCount;

    @Override
    public String channelType() {
        return CHANNEL_TYPE;
    }

    @Override
    public ChannelCapabilities capabilities() {
        return new ChannelCapabilities(true, true, true, true, true, true, false, false, MAX_TEXT_LENGTH);
    }

    TelegramConfig config() {
        TelegramConfig c = config;
        if (c == null) {
            c = TelegramConfig.load();
            config = c;
        }
        return c;
    }

    @Override
    public Optional<String> notConfigured() {
        return config().notConfigured();
    }

    Path offsetPath() {
        Path p = offsetFile;
        return p != null ? p : hostConfig.dataDir().resolve("channels").resolve("telegram.offset");
    }

    private synchronized void init() {
        if (api == null) {
            TelegramApi a = new TelegramApi(http, config());
            outbound = new TelegramOutbound(a);
            inbound = new TelegramInbound(a, CHANNEL_TYPE);
            api = a;
        }
    }

    @Override
    public void start(InboundSink sink) {
        Optional<String> why = notConfigured();
        if (why.isPresent()) {
            throw new IllegalStateException(why.get());
        }
        init();
        stop();
        long gen = generation.incrementAndGet();
        tokenRejected = false;
        setState(ChannelStatus.State.CONNECTING, "connecting to " + config().baseUrl());
        Thread t = new Thread(() -> run(sink, gen), "telegram-poll");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void stop() {
        generation.incrementAndGet();
        synchronized (sleeper) {
            sleeper.notifyAll();
        }
        // an update being handled is finished and confirmed first; a held long poll just ends unused
        handling.lock();
        handling.unlock();
        if (state != ChannelStatus.State.FAILED) {
            setState(ChannelStatus.State.STOPPED, "stopped");
        }
    }

    @Override
    public boolean isConnected() {
        return state == ChannelStatus.State.CONNECTED;
    }

    @Override
    public ChannelStatus status() {
        return ChannelStatus.of(CHANNEL_TYPE, state, detail);
    }

    private void setState(ChannelStatus.State s, String d) {
        state = s;
        detail = d;
    }

    private boolean live(long gen) {
        return generation.get() == gen;
    }

    // ---------------------------------------------------------------- receiving

    private void run(InboundSink sink, long gen) {
        Backoff backoff = new Backoff(firstBackoff, Duration.ofSeconds(60));
        UpdateOffset store = new UpdateOffset(offsetPath());
        long offset = store.load();
        boolean wasDown = false;
        boolean probe = true;
        while (live(gen)) {
            try {
                if (probe) {
                    // getMe answers at once, where an idle long poll would hold the "connected" news back
                    TelegramInbound.Bot me = identify();
                    if (bot == null || wasDown) {
                        LOG.infof(wasDown ? "telegram: reachable again as @%s" : "telegram: connected as @%s",
                                me.username());
                    }
                    bot = me;
                    probe = false;
                    wasDown = false;
                    if (live(gen)) {
                        setState(ChannelStatus.State.CONNECTED, "@" + me.username());
                    }
                }
                JsonNode updates = poll(offset);
                if (!live(gen)) {
                    return;
                }
                if (state != ChannelStatus.State.CONNECTED) {
                    setState(ChannelStatus.State.CONNECTED, "@" + bot.username());
                }
                backoff.reset();
                for (JsonNode u : updates) {
                    if (!u.path("update_id").isIntegralNumber()) {
                        LOG.debug("telegram: an update without update_id: skipped");
                        continue;
                    }
                    long id = u.path("update_id").asLong();
                    if (id < offset) {
                        continue;
                    }
                    handling.lock();
                    try {
                        if (!live(gen)) {
                            return;
                        }
                        handleSafely(u, id, sink);
                        offset = id + 1;
                        try {
                            store.store(offset);
                        } catch (IOException e) {
                            LOG.warnf("telegram: could not store the update offset in %s: %s", store.file(),
                                    e.getMessage());
                        }
                    } finally {
                        handling.unlock();
                    }
                }
            } catch (TelegramApiException e) {
                if (e.tokenRejected()) {
                    rejected(e);
                    return;
                }
                if (e.errorCode() == 409 && !live(gen)) {
                    return; // our own restart took over the long poll
                }
                if (e.errorCode() == 409 && e.description().contains("webhook")) {
                    deleteWebhook();
                }
                wasDown |= down(gen, backoff.next(), e.getMessage(), !wasDown);
                probe = true;
            } catch (RateLimitedException e) {
                setState(ChannelStatus.State.CONNECTING, "rate limited by Telegram; polling again in "
                        + seconds(e.retryAfter()));
                LOG.warnf("telegram: rate limited; polling again in %s", seconds(e.retryAfter()));
                sleep(gen, e.retryAfter());
            } catch (IOException e) {
                wasDown |= down(gen, backoff.next(), e.getMessage(), !wasDown);
                probe = true;
            } catch (RuntimeException e) {
                LOG.errorf(e, "telegram: the receive loop hit a bug; going on");
                sleep(gen, backoff.next());
            }
        }
    }

    /** Notes an outage (warned once, then at debug level) and waits. @return true */
    private boolean down(long gen, Duration wait, String why, boolean first) {
        if (!live(gen)) {
            return true;
        }
        setState(ChannelStatus.State.CONNECTING, "reconnecting in " + seconds(wait) + " after: " + why);
        if (first) {
            LOG.warnf("telegram: %s; retrying with backoff", why);
        } else {
            LOG.debugf("telegram: still unreachable (%s); next try in %s", why, seconds(wait));
        }
        sleep(gen, wait);
        return true;
    }

    private void rejected(TelegramApiException e) {
        tokenRejected = true;
        String reason = "the bot token was rejected (" + e.errorCode() + " "
                + (e.errorCode() == 401 ? "Unauthorized" : e.description()) + ")";
        setState(ChannelStatus.State.FAILED, reason);
        LOG.errorf("telegram: %s. Check TELEGRAM_BOT_TOKEN (as @BotFather gave it); the Telegram channel stays off "
                + "until the host restarts. Other channels are not affected.", reason);
    }

    private TelegramInbound.Bot identify() throws IOException {
        JsonNode me = api.call("getMe", JsonNodeFactory.instance.objectNode(), Duration.ofSeconds(15));
        if (!me.path("id").isIntegralNumber()) {
            throw new IOException("getMe answered without the bot's id");
        }
        return new TelegramInbound.Bot(me.path("id").asLong(), me.path("username").asText(null));
    }

    private JsonNode poll(long offset) throws IOException {
        int timeout = config().pollTimeoutSeconds();
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        if (offset > 0) {
            p.put("offset", offset);
        }
        p.put("timeout", timeout);
        p.putArray("allowed_updates").add("message").add("edited_message").add("callback_query");
        // the call must outlive the server's hold on it
        JsonNode r = api.call("getUpdates", p, Duration.ofSeconds(timeout + 15L));
        if (!r.isArray()) {
            throw new IOException("getUpdates answered something that is not a list");
        }
        return r;
    }

    private void deleteWebhook() {
        try {
            api.call("deleteWebhook", JsonNodeFactory.instance.objectNode().put("drop_pending_updates", false));
            LOG.info("telegram: a webhook was set for this bot; removed it so long polling can work");
        } catch (IOException e) {
            LOG.warnf("telegram: a webhook blocks long polling and could not be removed: %s", e.getMessage());
        }
    }

    /**
     * Handles one update. An outage while doing so is thrown (the update is fetched again); the router failing is
     * retried {@value #MAX_SINK_ATTEMPTS} times, then the update is skipped; bad input is skipped at once.
     */
    private void handleSafely(JsonNode u, long id, InboundSink sink) throws IOException {
        try {
            handle(u, sink);
            failingUpdate = -1;
        } catch (PlatformUnavailableException | RateLimitedException e) {
            throw e;
        } catch (SinkFailure e) {
            if (failingUpdate != id) {
                failingUpdate = id;
                failingCount = 0;
            }
            if (++failingCount >= MAX_SINK_ATTEMPTS) {
                LOG.errorf(e.getCause(), "telegram: update %d failed %d times in the host; skipped", id,
                        failingCount);
                failingUpdate = -1;
                return;
            }
            throw new IOException("the host could not take update " + id + ": " + e.getCause());
        } catch (Exception e) {
            LOG.warnf("telegram: update %d skipped: %s", id, e.toString());
        }
    }

    private static final class SinkFailure extends Exception {
        SinkFailure(RuntimeException cause) {
            super(cause);
        }
    }

    private void handle(JsonNode u, InboundSink sink) throws IOException, SinkFailure {
        if (u.has("message")) {
            onMessage(u.get("message"), false, sink);
        } else if (u.has("edited_message")) {
            onMessage(u.get("edited_message"), true, sink);
        } else if (u.has("callback_query")) {
            onCallback(u.get("callback_query"), sink);
        } else {
            LOG.debugf("telegram: update %s of a kind this adapter does not handle: skipped",
                    u.path("update_id").asText());
        }
    }

    private void onMessage(JsonNode m, boolean edited, InboundSink sink) throws IOException, SinkFailure {
        Optional<TelegramInbound.Mapped> mapped = inbound.map(m, edited, bot);
        if (mapped.isEmpty()) {
            return;
        }
        TelegramInbound.Mapped x = mapped.get();
        try {
            if (!edited && x.isPrivate() && pairing.tryPair(CHANNEL_TYPE, x.platformId(),
                    x.message().senderHandle(), x.message().senderName(), x.text())) {
                return; // the pairing code: consumed, never shown to an agent
            }
            sink.onInbound(CHANNEL_TYPE, x.platformId(), x.threadId(), x.message());
        } catch (RuntimeException e) {
            throw new SinkFailure(e);
        }
    }

    private void onCallback(JsonNode cq, InboundSink sink) throws IOException, SinkFailure {
        if (!cq.path("id").isTextual()) {
            return;
        }
        try {
            // always, even for buttons nobody issued: else the user's client shows a spinner
            api.call("answerCallbackQuery", JsonNodeFactory.instance.objectNode()
                    .put("callback_query_id", cq.path("id").asText()), Duration.ofSeconds(10));
        } catch (TelegramApiException e) {
            LOG.debugf("telegram: answerCallbackQuery: %s", e.getMessage());
        }
        JsonNode msg = cq.path("message");
        JsonNode from = cq.path("from");
        if (!msg.path("chat").path("id").isIntegralNumber() || !from.path("id").isIntegralNumber()
                || !cq.path("data").isTextual()) {
            LOG.debug("telegram: a button click without chat, user or data: answered, skipped");
            return;
        }
        String threadId = msg.path("is_topic_message").asBoolean(false) && msg.path("message_thread_id")
                .isIntegralNumber() ? msg.path("message_thread_id").asText() : null;
        String messageId = msg.path("message_id").isIntegralNumber() ? msg.path("message_id").asText() : null;
        try {
            sink.onAction(CHANNEL_TYPE, msg.path("chat").path("id").asText(), threadId, new ActionEvent(
                    from.path("id").asText(), TelegramInbound.displayName(from), cq.path("data").asText(),
                    messageId));
        } catch (RuntimeException e) {
            throw new SinkFailure(e);
        }
    }

    // ---------------------------------------------------------------- sending

    @Override
    public String deliver(String platformId, String threadId, OutboundMessage message) throws Exception {
        if (tokenRejected) {
            throw new IOException("the Telegram channel is off: " + detail);
        }
        init();
        return outbound.deliver(platformId, threadId, message);
    }

    @Override
    public void setTyping(String platformId, String threadId) {
        if (!isConnected()) {
            return;
        }
        try {
            outbound.typing(platformId, threadId);
        } catch (Exception e) {
            LOG.debugf("telegram: typing in %s: %s", platformId, e.getMessage());
        }
    }

    @Override
    public Optional<String> resolveChannelName(String platformId) {
        if (tokenRejected || !platformId.matches("-?[0-9]{1,19}")) {
            return Optional.empty();
        }
        try {
            init();
            JsonNode chat = api.call("getChat", JsonNodeFactory.instance.objectNode()
                    .put("chat_id", Long.parseLong(platformId)), Duration.ofSeconds(10));
            if (chat.path("title").isTextual()) {
                return Optional.of(chat.path("title").asText());
            }
            String name = TelegramInbound.displayName(chat);
            return name.equals(platformId) ? Optional.empty() : Optional.of(name);
        } catch (Exception e) {
            LOG.debugf("telegram: getChat %s: %s", platformId, e.getMessage());
            return Optional.empty();
        }
    }

    private void sleep(long gen, Duration d) {
        long until = System.currentTimeMillis() + d.toMillis();
        synchronized (sleeper) {
            long left;
            while (live(gen) && (left = until - System.currentTimeMillis()) > 0) {
                try {
                    sleeper.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms < 10_000 ? String.format("%.1f s", ms / 1000.0) : (ms / 1000) + " s";
    }
}
