package io.nanoclaw.host.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.channels.ChannelRegistry;
import io.nanoclaw.host.channels.ChannelStatus;
import io.nanoclaw.host.cli.NclAccess;
import io.nanoclaw.host.cli.NclCall;
import io.nanoclaw.host.cli.NclHandler;
import io.nanoclaw.host.config.HostConfig;
import io.nanoclaw.host.containers.ContainerRunner;
import io.nanoclaw.host.containers.ContainerSlots;
import io.nanoclaw.host.sessions.Sessions;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Locale;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * {@code ncl status}: how the host is doing at a glance. Uptime and version, the container engine and agent image,
 * each channel (connected or not, and why), active sessions and running containers, and the start queue behind
 * MAX_CONCURRENT_CONTAINERS.
 */
@Singleton
public class StatusCommand implements NclHandler {
    @Inject
    HostConfig config;
    @Inject
    HostUptime uptime;
    @Inject
    Probes probes;
    @Inject
    ChannelRegistry channels;
    @Inject
    Sessions sessions;
    @Inject
    ContainerRunner runner;
    @Inject
    ContainerSlots slots;

    @Override
    public String command() {
        return "status";
    }

    @Override
    public NclAccess access() {
        return NclAccess.OPERATOR;
    }

    @Override
    public String summary() {
        return "uptime, Docker engine and agent image, channels, sessions, running and queued containers";
    }

    public String usage() {
        return "";
    }

    @Override
    public JsonNode handle(NclCall call) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode out = f.objectNode();
        out.put("uptimeSeconds", uptime.seconds());
        out.put("startedAt", uptime.started().toString());
        ConfigProvider.getConfig().getOptionalValue("quarkus.application.version", String.class)
                .ifPresent(v -> out.put("version", v));
        out.put("home", config.home().toString());

        ObjectNode docker = out.putObject("docker");
        ObjectNode image = out.putObject("image");
        image.put("name", config.containerImage());
        if (!config.containersEnabled()) {
            docker.put("reachable", false);
            docker.put("error", "agent containers are turned off (NANOCLAW_CONTAINERS=false)");
            image.putNull("present");
        } else {
            Probes.Engine engine = probes.engine();
            docker.put("reachable", engine.reachable());
            if (engine.reachable()) {
                docker.put("version", engine.version());
                Probes.Image img = probes.image();
                if (img.present() == null) {
                    image.putNull("present");
                    image.put("error", img.error());
                } else {
                    image.put("present", img.present());
                    if (img.sizeMb() != null) {
                        image.put("sizeMb", img.sizeMb());
                    }
                }
            } else {
                docker.put("error", engine.error());
                image.putNull("present");
                image.put("error", "cannot tell: the engine does not answer");
            }
        }

        ArrayNode chans = out.putArray("channels");
        for (ChannelStatus s : channels.statuses()) {
            ObjectNode c = chans.addObject();
            c.put("channel", s.channelType());
            c.put("state", s.state().name().toLowerCase(Locale.ROOT).replace('_', '-'));
            c.put("detail", s.detail());
        }

        ObjectNode sess = out.putObject("sessions");
        sess.put("active", sessions.active().size());
        sess.put("running", sessions.running().size());

        ObjectNode containers = out.putObject("containers");
        containers.put("running", runner.runningCount());
        containers.put("slotsInUse", slots.inUse());
        containers.put("max", slots.cap());
        containers.put("queued", slots.queued().size());
        return out;
    }
}
