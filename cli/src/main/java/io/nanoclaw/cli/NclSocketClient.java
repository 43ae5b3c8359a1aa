package io.nanoclaw.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** One request over the host's unix socket: a JSON line out, a JSON line back (host.md 9). */
public final class NclSocketClient {
    /** The reply is small JSON; anything bigger than this is not a reply of ours. */
    static final int MAX_REPLY_BYTES = 64 * 1024 * 1024;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The host could not be reached, or did not answer properly. */
    public static final class TransportException extends Exception {
        private final boolean unreachable;

        TransportException(String message, boolean unreachable) {
            super(message);
            this.unreachable = unreachable;
        }

        /** True when nothing listens at the socket (no host running). */
        public boolean unreachable() {
            return unreachable;
        }
    }

    private NclSocketClient() {}

    public static JsonNode call(Path socket, ObjectNode request) throws TransportException {
        SocketChannel ch;
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        } catch (IOException e) {
            throw new TransportException(e.getMessage(), false);
        }
        try (ch) {
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                throw new TransportException(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(),
                        true);
            }
            ByteBuffer out = ByteBuffer.wrap((MAPPER.writeValueAsString(request) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                ch.write(out);
            }
            ByteArrayOutputStream reply = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(16 * 1024);
            while (true) {
                buf.clear();
                int n = ch.read(buf);
                if (n < 0) {
                    break;
                }
                int nl = -1;
                for (int i = 0; i < n; i++) {
                    if (buf.get(i) == '\n') {
                        nl = i;
                        break;
                    }
                }
                reply.write(buf.array(), 0, nl >= 0 ? nl : n);
                if (nl >= 0) {
                    break;
                }
                if (reply.size() > MAX_REPLY_BYTES) {
                    throw new TransportException("the reply is too large", false);
                }
            }
            if (reply.size() == 0) {
                throw new TransportException("the host closed the connection without a reply", false);
            }
            JsonNode frame;
            try {
                frame = MAPPER.readTree(reply.toString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new TransportException("the host's reply is not JSON", false);
            }
            if (frame == null || !frame.isObject() || !frame.has("ok")) {
                throw new TransportException("the host's reply is not a reply frame", false);
            }
            return frame;
        } catch (IOException e) {
            throw new TransportException(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(),
                    false);
        }
    }
}
