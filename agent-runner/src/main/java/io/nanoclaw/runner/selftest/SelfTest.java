package io.nanoclaw.runner.selftest;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.nanoclaw.protocol.ChatContent;
import io.nanoclaw.protocol.JournalMode;
import io.nanoclaw.protocol.SessionDb;
import io.nanoclaw.protocol.SessionFiles;
import io.nanoclaw.protocol.SessionSchema;
import io.nanoclaw.protocol.Timestamps;
import io.nanoclaw.runner.Runner;
import io.nanoclaw.runner.RunnerOptions;
import io.nanoclaw.runner.config.ConfigLoader;
import io.nanoclaw.runner.config.RunnerConfig;
import io.nanoclaw.runner.config.RunnerEnvironment;
import io.nanoclaw.runner.format.TimeZones;
import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.log.Log;
import io.nanoclaw.runner.provider.ModelProvider;
import io.nanoclaw.runner.provider.ModelReply;
import io.nanoclaw.runner.provider.ModelRequest;
import io.nanoclaw.runner.provider.ProviderException;
import io.nanoclaw.runner.provider.Sleeper;
import io.nanoclaw.runner.provider.anthropic.AnthropicProvider;
import io.nanoclaw.runner.provider.anthropic.AnthropicRequestBody;
import io.nanoclaw.runner.provider.anthropic.RetryPolicy;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * {@code --selftest}: one real batch, end to end, in a temp dir: config file, both session DBs, the formatter,
 * the request body, the HTTP client and SSE decoding against a canned model on loopback, the reply write and the
 * acks. No network beyond loopback; exit 0 on success. The image build runs it to record the class-data archive.
 */
public final class SelfTest {
    private SelfTest() {}

    public static int run() {
        long started = System.nanoTime();
        Path dir = null;
        try {
            dir = Files.createTempDirectory("nanoclaw-selftest-");
            runIn(dir);
            Log.info("selftest", "ok in " + (System.nanoTime() - started) / 1_000_000 + " ms");
            return 0;
        } catch (Exception e) {
            Log.error("selftest", "failed", e);
            return 1;
        } finally {
            deleteQuietly(dir);
        }
    }

    private static void runIn(Path dir) throws Exception {
        Path workspace = dir.resolve("workspace");
        Path agentDir = workspace.resolve("agent");
        Files.createDirectories(agentDir);
        Path configFile = agentDir.resolve("container.json");
        Files.writeString(configFile,
                "{\"provider\":\"claude\",\"model\":\"sonnet\",\"assistantName\":\"Selftest\",\"maxTokens\":256}");
        RunnerConfig config = ConfigLoader.load(configFile);

        Path inboundFile = workspace.resolve(SessionFiles.INBOUND_DB);
        try (Connection host = SessionDb.openWriter(inboundFile, JournalMode.WAL)) {
            SessionSchema.createInbound(host);
            try (Connection out = SessionDb.openWriter(workspace.resolve(SessionFiles.OUTBOUND_DB), JournalMode.WAL)) {
                SessionSchema.createOutbound(out);
            }
            seed(host);
            CannedModelServer server = startServerOrNull();
            try {
                URI base = server != null ? server.baseUrl() : URI.create("http://127.0.0.1:9");
                RunnerEnvironment env = new RunnerEnvironment(workspace, configFile, base,
                        URI.create(base + "/openai/v1"), "selftest-token",
                        TimeZones.fromEnvironment(System.getenv("TZ")), dir.resolve("state"), JournalMode.WAL);
                RunnerOptions options = new RunnerOptions(new RetryPolicy(0, Duration.ZERO, Duration.ZERO),
                        Sleeper.REAL, server != null ? null : offlineProvider(config));
                try (Runner runner = Runner.open(env, config, options)) {
                    runner.recoverCrashedBatches();
                    if (!runner.loop().pollOnce()) {
                        throw new IllegalStateException("the seeded message was not picked up");
                    }
                }
            } finally {
                if (server != null) {
                    server.close();
                }
            }
        }
        verify(workspace.resolve(SessionFiles.OUTBOUND_DB));
    }

    private static void seed(Connection host) throws Exception {
        try (PreparedStatement ps = host.prepareStatement(
                "INSERT INTO destinations (name, display_name, type, channel_type, platform_id) "
                        + "VALUES ('cli', 'Terminal', 'channel', 'cli', 'local')")) {
            ps.executeUpdate();
        }
        try (PreparedStatement ps = host.prepareStatement(
                "INSERT INTO messages_in (id, seq, kind, timestamp, status, \"trigger\", platform_id, channel_type, "
                        + "content) VALUES ('msg-selftest', 2, 'chat', ?, 'pending', 1, 'local', 'cli', ?)")) {
            ps.setString(1, Timestamps.iso(Instant.now()));
            ps.setString(2, new ChatContent("Hello & welcome", "Self Test", "cli:local").toJsonString(Json.MAPPER));
            ps.executeUpdate();
        }
    }

    private static void verify(Path outboundFile) throws Exception {
        try (Connection c = SessionDb.openReader(outboundFile);
             PreparedStatement ps = c.prepareStatement("SELECT o.content, o.seq, a.status FROM messages_out o "
                     + "JOIN processing_ack a ON a.message_id = o.in_reply_to");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new IllegalStateException("no reply row was written");
            }
            String text = ChatContent.fromJson(Json.parse(rs.getString(1))).text();
            if (!CannedStream.REPLY.equals(text) || rs.getLong(2) % 2 != 1 || !"completed".equals(rs.getString(3))) {
                throw new IllegalStateException("unexpected reply row (seq " + rs.getLong(2) + ", ack "
                        + rs.getString(3) + ")");
            }
        }
    }

    private static CannedModelServer startServerOrNull() {
        try {
            return new CannedModelServer();
        } catch (IOException e) {
            Log.warn("selftest", "no loopback socket (" + Log.describe(e) + "), decoding the canned stream offline");
            return null;
        }
    }

    /** Without loopback: still build the request body and decode the stream, just without HTTP. */
    private static ModelProvider offlineProvider(RunnerConfig config) {
        return new ModelProvider() {
            @Override
            public String name() {
                return config.provider();
            }

            @Override
            public ModelReply complete(ModelRequest request) throws ProviderException {
                try {
                    Json.MAPPER.writeValueAsBytes(
                            AnthropicRequestBody.build(config.model(), config.maxTokens(), request));
                } catch (JsonProcessingException e) {
                    throw new ProviderException("cannot encode the request", e);
                }
                return AnthropicProvider.decodeStream(
                        new ByteArrayInputStream(CannedStream.SSE.getBytes(StandardCharsets.UTF_8)), () -> { });
            }
        };
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }
}
