package io.nanoclaw.host.channels;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Short notices from the host itself to a chat (a refused command, an agent that could not start), sent straight
 * through the channel adapter: the host never writes a session's outbound.db. Best effort: a notice that can't be
 * sent is logged.
 */
@Singleton
public class ChannelNotices {
    private static final Logger LOG = Logger.getLogger(ChannelNotices.class);

    @Inject
    ChannelRegistry channels;
    @Inject
    ChannelSender sender;

    private final ObjectMapper mapper = new ObjectMapper();

    public void send(String channelType, String platformId, String threadId, String text) {
        channels.get(channelType).ifPresentOrElse(a -> {
            try {
                sender.send(a, platformId, threadId, new OutboundMessage(null, "chat",
                        mapper.createObjectNode().put("text", text), List.of()));
            } catch (Exception e) {
                LOG.warnf("could not send a notice to %s:%s: %s", channelType, platformId, e.getMessage());
            }
        }, () -> LOG.warnf("no %s channel to send a notice to", channelType));
    }
}
