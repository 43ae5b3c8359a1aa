package io.nanoclaw.runner.selftest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A one-trick HTTP server on loopback that answers every request with {@link CannedStream}. Plain sockets, not
 * com.sun.net.httpserver, so the self-test needs nothing beyond java.base and java.net.http; it lets the
 * self-test drive the real HttpClient path, whose classes are the bulk of what the class-data archive saves.
 */
final class CannedModelServer implements AutoCloseable {
    private final ServerSocket socket;
    private final Thread thread;
    private volatile int requests;

    CannedModelServer() throws IOException {
        socket = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
        thread = new Thread(this::serve, "selftest-model-server");
        thread.setDaemon(true);
        thread.start();
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }

    int requests() {
        return requests;
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket s = socket.accept()) {
                s.setSoTimeout(5000);
                readRequest(s.getInputStream());
                requests++;
                byte[] body = CannedStream.SSE.getBytes(StandardCharsets.UTF_8);
                String head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream; charset=utf-8\r\n"
                        + "cache-control: no-cache\r\nconnection: close\r\ncontent-length: " + body.length
                        + "\r\n\r\n";
                OutputStream out = s.getOutputStream();
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
            } catch (IOException e) {
                // closed, or a broken client: the self-test's own checks report the failure
            }
        }
    }

    /** Reads the head and a content-length body, so the client never sees its request cut off. */
    private static void readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
                    ? state + 1 : (b == '\r' ? 1 : 0);
        }
        long length = 0;
        for (String line : head.toString(StandardCharsets.US_ASCII).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        in.readNBytes((int) length);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
