package io.nanoclaw.host.channels.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.channels.ChannelAdapter;
import io.nanoclaw.host.channels.InboundMessage;
import io.nanoclaw.host.channels.InboundSink;
import io.nanoclaw.host.channels.OutboundMessage;
import io.nanoclaw.host.config.HostConfig;
import io.nanoclaw.protocol.MessageIds;
import io.nanoclaw.protocol.Timestamps;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import org.jboss.logging.Logger;

/**
 * The terminal channel: a unix socket at data/cli.sock (mode 0600) speaking JSON lines. A client sends
 * {@code {"text":"..."}}; each agent reply comes back as {@code {"text":"..."}}; bad input gets
 * {@code {"error":"..."}} and the connection stays open. The newest client holds the chat; replies that arrive while
 * no client is connected wait (bounded) for the next one instead of being lost.
 */
@Singleton
public class CliChannel implements ChannelAdapter {
    private static final Logger LOG = Logger.getLogger(CliChannel.class);
    public static final String CHANNEL_TYPE = "cli";
    public static final String PLATFORM_ID = "local";
    public static final String OWNER_HANDLE = "local";
    static final int MAX_LINE_BYTES = 256 * 1024;
    static final int MAX_TEXT_CHARS = 100_000;
    static final int MAX_WAITING_REPLIES = 200;

    @Inject
    HostConfig config;

    private final ObjectMapper mapper = new ObjectMapper();
    private final Deque<String> waiting = new ArrayDeque<>();
    private ServerSocketChannel server;
    private volatile Client current;
    private volatile boolean running;

    private static final class Client {
        final SocketChannel channel;

        Client(SocketChannel channel) {
            this.channel = channel;
        }

        /**
         * Writes on the channel itself: the Channels.newOutputStream/newInputStream adapters share the channel's
         * blocking lock, so a write would wait for the reader thread's blocked read (a reply held until the user
         * types again).
         */
        synchronized void send(String line) throws IOException {
            ByteBuffer b = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                channel.write(b);
            }
        }
    }

    @Override
    public String channelType() {
        return CHANNEL_TYPE;
    }

    @Override
    public io.nanoclaw.host.channels.ChannelCapabilities capabilities() {
        return io.nanoclaw.host.channels.ChannelCapabilities.textOnly(MAX_TEXT_CHARS);
    }

    @Override
    public void start(InboundSink sink) throws IOException {
        Path socket = config.cliSocket();
        Files.createDirectories(socket.getParent());
        Files.deleteIfExists(socket);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        running = true;
        Thread t = new Thread(() -> acceptLoop(sink), "cli-accept");
        t.setDaemon(true);
        t.start();
        LOG.infof("CLI channel listening on %s", socket);
    }

    private void acceptLoop(InboundSink sink) {
        while (running) {
            try {
                SocketChannel ch = server.accept();
                Client client = new Client(ch);
                current = client;
                flushWaiting(client);
                Thread t = new Thread(() -> serve(client, sink), "cli-client");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (running) {
                    LOG.warnf("CLI channel accept failed: %s", e.getMessage());
                }
            }
        }
    }

    private void serve(Client client, InboundSink sink) {
        try (SocketChannel ch = client.channel) {
            BoundedLineReader reader = new BoundedLineReader(new ChannelInput(ch), MAX_LINE_BYTES);
            String line;
            while ((line = reader.readLine()) != null) {
                String error = handleLine(line, sink);
                if (error != null) {
                    client.send(mapper.createObjectNode().put("error", error).toString());
                }
            }
        } catch (IOException e) {
            LOG.debugf("CLI client gone: %s", e.getMessage());
        } finally {
            if (current == client) {
                current = null;
            }
        }
    }

    /** @return an error to send back, or null when the line was accepted. */
    String handleLine(String line, InboundSink sink) {
        if (line == BoundedLineReader.TOO_LONG) {
            return "line too long: at most " + MAX_LINE_BYTES + " bytes per JSON line";
        }
        if (line.isBlank()) {
            return null;
        }
        JsonNode n;
        try {
            n = mapper.readTree(line);
        } catch (IOException e) {
            return "malformed JSON: expected one object per line, like {\"text\":\"hello\"}";
        }
        if (n == null || !n.isObject()) {
            return "expected a JSON object, like {\"text\":\"hello\"}";
        }
        JsonNode text = n.get("text");
        if (text == null || !text.isTextual() || text.asText().isBlank()) {
            return "\"text\" is required and must be a non-empty string";
        }
        if (text.asText().length() > MAX_TEXT_CHARS) {
            return "text too long: at most " + MAX_TEXT_CHARS + " characters";
        }
        ObjectNode content = mapper.createObjectNode();
        content.put("text", text.asText());
        content.put("sender", "You");
        content.put("senderId", CHANNEL_TYPE + ":" + OWNER_HANDLE);
        String id = MessageIds.next("cli");
        try {
            sink.onInbound(CHANNEL_TYPE, PLATFORM_ID, null, new InboundMessage(id, "chat", content.toString(),
                    Timestamps.iso(Instant.now()), true, false, OWNER_HANDLE, "You"));
        } catch (RuntimeException e) {
            LOG.errorf(e, "routing a CLI message failed");
            return "the host could not accept this message: " + e.getMessage();
        }
        return null;
    }

    @Override
    public String deliver(String platformId, String threadId, OutboundMessage message) {
        String line = mapper.createObjectNode().put("text", message.text()).toString();
        Client c = current;
        if (c != null) {
            try {
                c.send(line);
                return null;
            } catch (IOException e) {
                LOG.debugf("CLI client write failed, keeping the reply for the next client: %s", e.getMessage());
            }
        }
        synchronized (waiting) {
            if (waiting.size() >= MAX_WAITING_REPLIES) {
                waiting.removeFirst();
            }
            waiting.addLast(line);
        }
        return null;
    }

    private void flushWaiting(Client client) {
        synchronized (waiting) {
            while (!waiting.isEmpty()) {
                try {
                    client.send(waiting.peekFirst());
                    waiting.removeFirst();
                } catch (IOException e) {
                    return;
                }
            }
        }
    }

    @Override
    public void stop() {
        running = false;
        try {
            if (server != null) {
                server.close();
            }
            Files.deleteIfExists(config.cliSocket());
        } catch (IOException e) {
            LOG.debugf("closing the CLI socket: %s", e.getMessage());
        }
    }

    @Override
    public boolean isConnected() {
        return running;
    }
}
