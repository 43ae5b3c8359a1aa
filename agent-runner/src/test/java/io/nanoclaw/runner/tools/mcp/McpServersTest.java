package io.nanoclaw.runner.tools.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nanoclaw.runner.config.McpServerConfig;
import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.tools.Tool;
import io.nanoclaw.runner.tools.ToolContext;
import io.nanoclaw.runner.tools.ToolResult;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stdio MCP client against {@link FakeMcpServer} running as a real child process. */
class McpServersTest {
    private static final McpTimeouts FAST = new McpTimeouts(Duration.ofSeconds(20), Duration.ofSeconds(20));

    @TempDir
    Path tmp;

    private final List<McpServers> opened = new ArrayList<>();

    @AfterEach
    void closeServers() {
        opened.forEach(McpServers::close);
    }

    /** Runs the fake with this JVM's java binary and just the classes it needs. */
    static McpServerConfig fake(Map<String, String> env, String... extraArgs) {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classpath = Stream.of(FakeMcpServer.class, ObjectMapper.class, JsonFactory.class, JsonAutoDetect.class)
                .map(McpServersTest::location).distinct().collect(Collectors.joining(File.pathSeparator));
        List<String> args = new ArrayList<>(List.of("-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", classpath,
                FakeMcpServer.class.getName()));
        args.addAll(List.of(extraArgs));
        return new McpServerConfig(java, args, env);
    }

    private static String location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private McpServers discover(Map<String, McpServerConfig> configs, McpTimeouts timeouts) throws Exception {
        McpServers servers = McpServers.discover(configs, tmp, timeouts);
        opened.add(servers);
        return servers;
    }

    private static Tool tool(McpServers servers, String name) {
        Optional<Tool> t = servers.tools().stream().filter(x -> x.name().equals(name)).findFirst();
        assertTrue(t.isPresent(), "no tool " + name + " in " + names(servers));
        return t.get();
    }

    private static List<String> names(McpServers servers) {
        return servers.tools().stream().map(Tool::name).toList();
    }

    private ToolResult call(Tool tool, String inputJson) throws Exception {
        return tool.run(Json.parse(inputJson), new ToolContext(tmp, List.of(tmp), ToolContext.NO_LIVENESS));
    }

    @Test
    void discoveryFollowsPaginationAndPassesSchemasThrough() throws Exception {
        McpServers servers = discover(Map.of("fake", fake(Map.of())), FAST);
        assertEquals(List.of("mcp__fake__echo", "mcp__fake__fail", "mcp__fake__crash", "mcp__fake__slow",
                "mcp__fake__die_soon", "mcp__fake__ping_client", "mcp__fake__spawn", "mcp__fake__env",
                "mcp__fake__image", "mcp__fake__pid"), names(servers));
        Tool echo = tool(servers, "mcp__fake__echo");
        assertEquals("{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\",\"description\":"
                + "\"what to echo\"}},\"required\":[\"text\"]}", echo.inputSchema().toString());
        assertEquals("Echoes its text", echo.description());
        assertFalse(echo.readOnly());
        assertEquals("Tool pid of the MCP server fake", tool(servers, "mcp__fake__pid").description());
    }

    @Test
    void aCallRoundTripsPastANotificationAndIsErrorBecomesAnError() throws Exception {
        McpServers servers = discover(Map.of("fake", fake(Map.of())), FAST);
        ToolResult ok = call(tool(servers, "mcp__fake__echo"), "{\"text\":\"hello\"}");
        assertFalse(ok.isError());
        assertEquals("echo: hello", ok.text());

        ToolResult failed = call(tool(servers, "mcp__fake__fail"), "{}");
        assertTrue(failed.isError());
        assertEquals("it failed", failed.text());
    }

    @Test
    void concurrentCallsAreMatchedToTheirAnswersById() throws Exception {
        McpServers servers = discover(Map.of("fake", fake(Map.of())), FAST);
        CompletableFuture<ToolResult> slow = CompletableFuture.supplyAsync(() -> {
            try {
                return call(tool(servers, "mcp__fake__slow"), "{\"ms\":1500}");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(200); // the slow call is in flight
        List<CompletableFuture<ToolResult>> echoes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String text = "n" + i;
            echoes.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return call(tool(servers, "mcp__fake__echo"), "{\"text\":\"" + text + "\"}");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (int i = 0; i < 5; i++) {
            assertEquals("echo: n" + i, echoes.get(i).get(10, TimeUnit.SECONDS).text());
        }
        assertFalse(slow.isDone(), "the echoes did not wait for the slow call");
        assertEquals("slept", slow.get(10, TimeUnit.SECONDS).text());
    }

    @Test
    void aCrashMidCallIsAnErrorAndTheRestartedServerTakesTheNextCall() throws Exception {
        McpServers servers = discover(Map.of("fake", fake(Map.of())), FAST);
        String pidBefore = call(tool(servers, "mcp__fake__pid"), "{}").text();
        ToolResult crashed = call(tool(servers, "mcp__fake__crash"), "{}");
        assertTrue(crashed.isError());
        assertTrue(crashed.text().contains("crashed") && crashed.text().contains("was restarted"), crashed.text());
        ToolResult next = call(tool(servers, "mcp__fake__echo"), "{\"text\":\"again\"}");
        assertEquals("echo: again", next.text());
        assertNotEquals(pidBefore, call(tool(servers, "mcp__fake__pid"), "{}").text());
    }

    @Test
    void aServerThatDiedBetweenCallsIsRestartedAndTheCallRetried() throws Exception {
        McpServers servers = discover(Map.of("fake", fake(Map.of())), FAST);
        long pid = Long.parseLong(call(tool(servers, "mcp__fake__pid"), "{}").text());
        assertEquals("bye", call(tool(servers, "mcp__fake__die_soon"), "{}").text());
        waitForExit(pid);
        ToolResult r = call(tool(servers, "mcp__fake__echo"), "{\"text\":\"still here\"}");
        assertFalse(r.isError(), r.text());
        assertEquals("echo: still here", r.text());
    }

    @Test
    void aCallThatTakesTooLongIsAnErrorAndTheServerIsRestarted() throws Exception {
        McpServers servers = discover(Map.of("fake", fake(Map.of())),
                new McpTimeouts(Duration.ofSeconds(20), Duration.ofMillis(1500)));
        long pid = Long.parseLong(call(tool(servers, "mcp__fake__pid"), "{}").text());
        ToolResult slow = call(tool(servers, "mcp__fake__slow"), "{\"ms\":30000}");
        assertTrue(slow.isError());
        assertTrue(slow.text().contains("timed out after 1500 ms") && slow.text().contains("was restarted"),
                slow.text());
        waitForExit(pid);
        assertEquals("echo: after", call(tool(servers, "mcp__fake__echo"), "{\"text\":\"after\"}").text());
    }

    @Test
    void serverRequestsGetMinimalAnswers() throws Exception {
        McpServers servers = discover(Map.of("fake", fake(Map.of())), FAST);
        assertEquals("ping={} sampling=-32601", call(tool(servers, "mcp__fake__ping_client"), "{}").text());
    }

    @Test
    void theServerEnvIsAddedToTheRunnersAndImagesBecomeImageBlocks() throws Exception {
        McpServers servers = discover(Map.of("fake", fake(Map.of("FAKE_TOKEN", "t-123"))), FAST);
        assertEquals("FAKE_TOKEN=t-123", call(tool(servers, "mcp__fake__env"), "{\"name\":\"FAKE_TOKEN\"}").text());
        assertEquals("PATH=" + System.getenv("PATH"),
                call(tool(servers, "mcp__fake__env"), "{\"name\":\"PATH\"}").text());

        ToolResult image = call(tool(servers, "mcp__fake__image"), "{}");
        assertNotNull(image.blocks());
        assertEquals("[{\"type\":\"text\",\"text\":\"a dot\"},{\"type\":\"image\",\"source\":{\"type\":\"base64\","
                + "\"media_type\":\"image/png\",\"data\":\"iVBORw0KGgo=\"}}]", image.blocks().toString());
    }

    @Test
    void brokenServersContributeNoToolsAndDoNotStopTheOthers() throws Exception {
        Map<String, McpServerConfig> configs = new LinkedHashMap<>();
        configs.put("missing", new McpServerConfig(tmp.resolve("no-such-server").toString(), List.of(), Map.of()));
        configs.put("refuses", fake(Map.of(), "--fail-init"));
        configs.put("my.fake", fake(Map.of()));
        McpServers servers = discover(configs, FAST);
        List<String> names = names(servers);
        assertEquals(10, names.size(), names.toString());
        assertTrue(names.stream().allMatch(n -> n.startsWith("mcp__my_fake__")), names.toString());
        assertEquals("echo: ok", call(tool(servers, "mcp__my_fake__echo"), "{\"text\":\"ok\"}").text());
    }

    @Test
    void closeStopsTheServerAndWhatItStarted() throws Exception {
        McpServers servers = discover(Map.of("fake", fake(Map.of())), FAST);
        long server = Long.parseLong(call(tool(servers, "mcp__fake__pid"), "{}").text());
        long child = Long.parseLong(call(tool(servers, "mcp__fake__spawn"), "{}").text());
        assertTrue(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false));
        servers.close();
        waitForExit(server);
        waitForExit(child);
    }

    private static void waitForExit(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            assertTrue(System.nanoTime() < deadline, "process " + pid + " still runs");
            Thread.sleep(20);
        }
    }
}
