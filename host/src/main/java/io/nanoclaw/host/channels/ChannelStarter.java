package io.nanoclaw.host.channels;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Starts every channel adapter bean whose credentials are configured (the beans are known at build time: no
 * scanning at run time) and says once, in the log and in {@link ChannelRegistry#statuses()}, why the others are off.
 * One adapter failing to start never stops the others or the host.
 */
@Singleton
public class ChannelStarter {
    private static final Logger LOG = Logger.getLogger(ChannelStarter.class);

    @Inject
    @Any
    Instance<ChannelAdapter> adapters;
    @Inject
    ChannelRegistry registry;

    public void startAll(InboundSink sink) {
        for (ChannelAdapter a : adapters) {
            Optional<String> why = a.notConfigured();
            if (why.isPresent()) {
                LOG.infof("channel %s is off: %s", a.channelType(), why.get());
                registry.notStarted(ChannelStatus.of(a.channelType(), ChannelStatus.State.NOT_CONFIGURED, why.get()));
                continue;
            }
            registry.register(a);
        }
        for (ChannelAdapter a : registry.all()) {
            try {
                a.start(sink);
            } catch (Exception e) {
                LOG.errorf("channel %s did not start: %s", a.channelType(), e.getMessage());
                registry.notStarted(ChannelStatus.of(a.channelType(), ChannelStatus.State.FAILED,
                        "did not start: " + e.getMessage()));
            }
        }
    }
}
