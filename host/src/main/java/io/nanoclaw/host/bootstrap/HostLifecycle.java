package io.nanoclaw.host.bootstrap;

import io.nanoclaw.host.channels.ChannelAdapter;
import io.nanoclaw.host.channels.ChannelRegistry;
import io.nanoclaw.host.config.HostConfig;
import io.nanoclaw.host.containers.ContainerRunner;
import io.nanoclaw.host.credentials.ProxyWarmup;
import io.nanoclaw.host.db.SchemaMigrator;
import io.nanoclaw.host.routing.Router;
import io.nanoclaw.host.sessions.Sessions;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import org.jboss.logging.Logger;

/**
 * Start-up and shut-down in order: folders, schema, first-start data, container state, channels, then the jobs.
 * Each step says in the log what it did or why it could not.
 */
@Singleton
public class HostLifecycle {
    private static final Logger LOG = Logger.getLogger(HostLifecycle.class);

    @Inject
    HostConfig config;
    @Inject
    SchemaMigrator migrator;
    @Inject
    FirstStart firstStart;
    @Inject
    Sessions sessions;
    @Inject
    ContainerRunner containers;
    @Inject
    ChannelRegistry channels;
    @Inject
    io.nanoclaw.host.channels.ChannelStarter channelStarter;
    @Inject
    Router router;
    @Inject
    NotReady notReady;
    @Inject
    ProxyWarmup proxyWarmup;
    @Inject
    io.nanoclaw.host.approvals.Approvals approvals;
    @Inject
    io.nanoclaw.host.cli.NclServer ncl;

    void onStart(@Observes StartupEvent ev) throws IOException {
        long t0 = System.nanoTime();
        // A host that keeps crashing at start waits longer each time instead of spinning (host.md 1.6).
        CircuitBreaker.Start breaker = new CircuitBreaker(config.dataDir()).onStart();
        if (breaker.attempt() > 1) {
            LOG.warnf("start attempt %d within the hour (waited %d s)", breaker.attempt(),
                    breaker.delay().toSeconds());
        }
        Files.createDirectories(config.dataDir());
        Files.createDirectories(config.sessionsDir());
        Files.createDirectories(config.groupsDir());
        migrator.migrate();
        firstStart.seedIfEmpty();
        int reset = sessions.resetContainerStatus();
        if (reset > 0) {
            LOG.infof("reset container status of %d session(s) left from the last run", reset);
        }
        if (config.containersEnabled()) {
            containers.prepareInBackground();
        }
        if (config.anthropicApiKey().isEmpty()) {
            LOG.warn("ANTHROPIC_API_KEY is not set: agents will answer with an authentication error");
        }
        channelStarter.startAll(router);
        ncl.start();
        // after the channels: expired cards are answered through them
        approvals.expireLeftovers();
        notReady.markReady();
        proxyWarmup.startInBackground();
        LOG.infof("NanoClaw host ready in %d ms (home %s)", (System.nanoTime() - t0) / 1_000_000, config.home());
    }

    void onStop(@Observes ShutdownEvent ev) {
        ncl.stop();
        for (ChannelAdapter a : channels.all()) {
            try {
                a.stop();
            } catch (RuntimeException e) {
                LOG.debugf("stopping channel %s: %s", a.channelType(), e.getMessage());
            }
        }
        try {
            containers.stopAll();
        } catch (RuntimeException e) {
            LOG.warnf("stopping containers at shutdown: %s", e.getMessage());
        }
        new CircuitBreaker(config.dataDir()).reset();
    }
}
