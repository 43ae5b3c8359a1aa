package io.nanoclaw.host.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import io.nanoclaw.host.channels.cli.ChannelInput;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/** A client of the CLI channel socket, as `./nanoclaw chat` is: JSON lines both ways. */
public final class CliClient implements AutoCloseable {
    private final SocketChannel channel;
    private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(1000);

    public CliClient(Path socket) throws IOException {
        channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        Thread t = new Thread(() -> {
            // ChannelInput reads without the channel's blocking lock, so our writes never wait for a pending read.
            InputStream raw = new ChannelInput(channel);
            try (BufferedReader in = new BufferedReader(new InputStreamReader(raw, StandardCharsets.UTF_8))) {
                String l;
                while ((l = in.readLine()) != null) {
                    lines.add(l);
                }
            } catch (IOException ignored) {
                // closed
            }
        }, "cli-test-reader");
        t.setDaemon(true);
        t.start();
    }

    public void sendRaw(String line) throws IOException {
        sendRaw((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    public void sendRaw(byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    /** The next line from the host, or null after the timeout. */
    public String next(Duration timeout) throws InterruptedException {
        return lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
