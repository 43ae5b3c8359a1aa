package io.nanoclaw.host.channels.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * An InputStream over a socket channel that reads the channel directly. Unlike Channels.newInputStream it does not
 * hold the channel's blocking lock while it waits, so replies can be written while a read is pending.
 */
public final class ChannelInput extends InputStream {
    private final SocketChannel channel;

    public ChannelInput(SocketChannel channel) {
        this.channel = channel;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int n = channel.read(ByteBuffer.wrap(b, off, len));
        return n < 0 ? -1 : n;
    }
}
