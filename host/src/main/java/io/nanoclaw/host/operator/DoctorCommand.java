package io.nanoclaw.host.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.nanoclaw.host.channels.ChannelRegistry;
import io.nanoclaw.host.channels.ChannelStatus;
import io.nanoclaw.host.cli.NclAccess;
import io.nanoclaw.host.cli.NclCall;
import io.nanoclaw.host.cli.NclHandler;
import io.nanoclaw.host.config.HostConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

/**
 * {@code ncl doctor}: every check that explains a host that does not answer, one row each, with what to do about
 * a failure. Rows: {@code check, ok, detail, fix} ({@code fix} is empty when there is nothing to do).
 */
@Singleton
public class DoctorCommand implements NclHandler {
    @Inject
    HostConfig config;
    @Inject
    Probes probes;
    @Inject
    ChannelRegistry channels;

    /** One check's outcome. */
    public record Check(String check, boolean ok, String detail, String fix) {}

    @Override
    public String command() {
        return "doctor";
    }

    @Override
    public NclAccess access() {
        return NclAccess.OPERATOR;
    }

    @Override
    public String summary() {
        return "checks Docker, the agent image, credentials, channels, disk, the DB and sockets, and says how to fix each";
    }

    public String usage() {
        return "";
    }

    @Override
    public JsonNode handle(NclCall call) {
        ArrayNode rows = JsonNodeFactory.instance.arrayNode();
        for (Check c : checks()) {
            rows.addObject().put("check", c.check()).put("ok", c.ok()).put("detail", c.detail()).put("fix", c.fix());
        }
        return rows;
    }

    public List<Check> checks() {
        List<Check> out = new java.util.ArrayList<>();
        engineAndImage(out);
        out.add(credentials());
        for (ChannelStatus s : channels.statuses()) {
            out.add(channel(s));
        }
        out.add(disk());
        out.add(centralDb());
        out.add(dataDir());
        out.add(socket("ncl socket", probes.nclSocket()));
        out.add(socket("cli socket", config.cliSocket()));
        return out;
    }

    private void engineAndImage(List<Check> out) {
        String image = config.containerImage();
        if (!config.containersEnabled()) {
            out.add(new Check("docker", false, "agent containers are turned off (NANOCLAW_CONTAINERS=false)",
                    "remove NANOCLAW_CONTAINERS=false from .env (or the environment) and restart the host"));
            return;
        }
        Probes.Engine engine = probes.engine();
        if (!engine.reachable()) {
            out.add(new Check("docker", false, "no container engine answers: " + engine.error(),
                    "start Docker (./nanoclaw setup starts one when run as root), or point DOCKER_HOST at a "
                            + "running engine; then check with: docker version"));
            out.add(new Check("agent image", false, image + ": cannot tell, the engine does not answer",
                    "fix the docker check first"));
            return;
        }
        out.add(new Check("docker", true, engine.version(), ""));
        Probes.Image img = probes.image();
        if (img.present() == null) {
            out.add(new Check("agent image", false, image + ": cannot tell: " + img.error(),
                    "check the engine with: docker image inspect " + image));
        } else if (!img.present()) {
            out.add(new Check("agent image", false, image + " is missing",
                    "run ./nanoclaw setup (it builds the image), or set CONTAINER_IMAGE to an image you have"));
        } else {
            out.add(new Check("agent image", true,
                    image + (img.sizeMb() == null ? "" : " (" + img.sizeMb() + " MB)"), ""));
        }
    }

    /** Whether a model API key is set; never its value. */
    private Check credentials() {
        boolean anthropic = config.anthropicApiKey().isPresent();
        boolean openai = config.openaiApiKey().isPresent();
        if (anthropic || openai) {
            String which = anthropic && openai ? "ANTHROPIC_API_KEY and OPENAI_API_KEY are set"
                    : anthropic ? "ANTHROPIC_API_KEY is set" : "OPENAI_API_KEY is set (no ANTHROPIC_API_KEY: "
                    + "only agent groups on the OpenAI-compatible provider can answer)";
            return new Check("credentials", true, which, "");
        }
        return new Check("credentials", false, "neither ANTHROPIC_API_KEY nor OPENAI_API_KEY is set",
                "put ANTHROPIC_API_KEY=<your key> in " + config.home().resolve(".env") + " and restart the host");
    }

    private Check channel(ChannelStatus s) {
        String name = "channel " + s.channelType();
        String detail = s.detail() == null || s.detail().isBlank() ? "" : ": " + s.detail();
        String upper = s.channelType().toUpperCase(Locale.ROOT).replace('-', '_');
        return switch (s.state()) {
            case CONNECTED -> new Check(name, true, "connected" + detail, "");
            case NOT_CONFIGURED -> new Check(name, true, "not configured" + detail,
                    "nothing to do unless you want it: see docs/configuration.md for the " + upper + "_* settings");
            case CONNECTING -> new Check(name, false, "connecting" + detail,
                    "wait a minute; if it stays so, check the network and the host log (ncl logs)");
            case FAILED -> new Check(name, false, "failed" + detail,
                    "check the " + upper + "_* settings in " + config.home().resolve(".env")
                            + " (docs/configuration.md) and the host log (ncl logs), then restart the host");
            case STOPPED -> new Check(name, false, "stopped" + detail, "restart the host");
        };
    }

    private Check disk() {
        try {
            long free = probes.freeBytes();
            String detail = String.format(Locale.ROOT, "%.1f GiB free on the file system of %s",
                    free / (double) (1L << 30), config.home());
            if (free < Probes.LOW_DISK_BYTES) {
                return new Check("disk", false, detail + " (under 1 GiB)",
                        "free space: old backups in data/backups, unused images (docker image prune), "
                                + "rotated logs in data/logs");
            }
            return new Check("disk", true, detail, "");
        } catch (IOException e) {
            return new Check("disk", false, "cannot read free space: " + Probes.oneLine(e),
                    "check that " + config.home() + " exists and is readable");
        }
    }

    private Check centralDb() {
        String file = config.dataDir().resolve("nanoclaw.db").toString();
        try {
            List<String> r = probes.centralDbQuickCheck();
            if (r.equals(List.of("ok"))) {
                return new Check("central db", true, file + ": quick_check ok", "");
            }
            return new Check("central db", false, file + ": " + String.join("; ", r),
                    "stop the host and restore the last good backup (ncl restore), see docs/operations.md");
        } catch (SQLException | RuntimeException e) {
            return new Check("central db", false, file + ": cannot check: " + Probes.oneLine(e),
                    "check the file's permissions and free disk; the host log (ncl logs) says more");
        }
    }

    private Check dataDir() {
        try {
            probes.dataDirWritable();
            return new Check("data dir", true, config.dataDir() + " is writable", "");
        } catch (IOException e) {
            return new Check("data dir", false, config.dataDir() + " is not writable: " + Probes.oneLine(e),
                    "give the user running the host write access to " + config.dataDir() + " (and free disk)");
        }
    }

    private Check socket(String name, java.nio.file.Path p) {
        Probes.SocketMode m = probes.socket(p);
        if (!m.exists()) {
            return new Check(name, true, p + " is not there (nothing listens on it)", "");
        }
        if ("rw-------".equals(m.mode())) {
            return new Check(name, true, p + " mode 0600", "");
        }
        return new Check(name, false, p + " mode " + m.mode() + ": other local users may reach it",
                "chmod 600 " + p + " (the host creates it 0600 at start: restart the host)");
    }
}
