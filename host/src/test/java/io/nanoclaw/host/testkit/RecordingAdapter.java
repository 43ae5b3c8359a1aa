package io.nanoclaw.host.testkit;

import io.nanoclaw.host.channels.ChannelAdapter;
import io.nanoclaw.host.channels.InboundSink;
import io.nanoclaw.host.channels.OutboundMessage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A channel adapter that records what it was asked to deliver and can be told to fail the next N calls. */
public class RecordingAdapter implements ChannelAdapter {
    public record Delivery(String platformId, String threadId, OutboundMessage message) {}

    private final String type;
    private final boolean threads;
    public final List<Delivery> delivered = new CopyOnWriteArrayList<>();
    public final AtomicInteger failNext = new AtomicInteger();
    public final AtomicInteger calls = new AtomicInteger();
    /** What a failing call throws (a 502-like IOException unless a test says otherwise). */
    public volatile java.util.function.Supplier<Exception> failure = () -> new java.io.IOException("platform said 502");

    private final boolean buttons;
    /** Whether edits reach the adapter as edits (else the host sends them as new messages); buttons imply edits. */
    public volatile boolean edits;

    public RecordingAdapter(String type, boolean threads) {
        this(type, threads, false);
    }

    /** With buttons, it renders choice cards and can edit them, like Telegram or Slack. */
    public RecordingAdapter(String type, boolean threads, boolean buttons) {
        this.type = type;
        this.threads = threads;
        this.buttons = buttons;
        this.edits = buttons;
    }

    /** Buttons and edits together by default, like Telegram or Slack; no length limit worth splitting at. */
    @Override
    public io.nanoclaw.host.channels.ChannelCapabilities capabilities() {
        return new io.nanoclaw.host.channels.ChannelCapabilities(threads, false, edits, true, buttons, true, false,
                false, 1_000_000);
    }

    /** The button ids of the last choice card sent to a chat, in order (empty when none). */
    public List<String> buttonsIn(String platformId) {
        for (int i = delivered.size() - 1; i >= 0; i--) {
            Delivery d = delivered.get(i);
            if (d.platformId().equals(platformId) && "choice_card".equals(d.message().content().path("type")
                    .asText())) {
                List<String> ids = new java.util.ArrayList<>();
                d.message().content().path("buttons").forEach(b -> ids.add(b.path("id").asText()));
                return ids;
            }
        }
        return List.of();
    }

    @Override
    public String channelType() {
        return type;
    }


    @Override
    public void start(InboundSink sink) {}

    @Override
    public void stop() {}

    @Override
    public boolean isConnected() {
        return true;
    }

    @Override
    public String deliver(String platformId, String threadId, OutboundMessage message) throws Exception {
        calls.incrementAndGet();
        if (failNext.get() > 0) {
            failNext.decrementAndGet();
            throw failure.get();
        }
        delivered.add(new Delivery(platformId, threadId, message));
        return "p-" + delivered.size();
    }

    /** Chat names the "platform" knows, for {@link #resolveChannelName}. */
    public final java.util.Map<String, String> names = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public java.util.Optional<String> resolveChannelName(String platformId) {
        return java.util.Optional.ofNullable(names.get(platformId));
    }

    /** Texts delivered to one chat, in order. */
    public List<String> textsTo(String platformId) {
        return delivered.stream().filter(d -> d.platformId().equals(platformId)).map(d -> d.message().text())
                .toList();
    }
}
