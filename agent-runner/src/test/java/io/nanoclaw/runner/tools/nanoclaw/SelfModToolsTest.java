package io.nanoclaw.runner.tools.nanoclaw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nanoclaw.runner.testing.SessionFixture.OutRow;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** create_agent, install_packages, add_mcp_server (agent-runner.md 3.5). */
class SelfModToolsTest {
    @TempDir
    Path root;

    private ToolsFixture f;

    @BeforeEach
    void open() throws Exception {
        f = new ToolsFixture(root);
        f.session.sessionRouting("telegram", "chat-1", null);
    }

    @AfterEach
    void close() throws Exception {
        f.close();
    }

    @Test
    void createAgentUsesTheRequestIdAsRowId() throws Exception {
        assertEquals("Creating agent \"Researcher\". You will be notified when it is ready.",
                f.run("create_agent", "{\"name\":\"Researcher\",\"instructions\":\"Dig deep.\"}").text());

        OutRow row = f.onlyRow();
        assertSystemRowWithoutAddress(row, "msg-");
        assertEquals("{\"action\":\"create_agent\",\"requestId\":\"" + row.id() + "\",\"name\":\"Researcher\","
                + "\"instructions\":\"Dig deep.\"}", row.content().toString());
    }

    @Test
    void createAgentWithoutInstructionsSendsNull() throws Exception {
        f.run("create_agent", "{\"name\":\"Helper\"}");
        assertTrue(f.onlyRow().content().get("instructions").isNull());
        assertEquals("Error: name is required", f.run("create_agent", "{}").text());
    }

    @Test
    void installPackagesWritesTheRequest() throws Exception {
        assertEquals("Package install request submitted. You will be notified when admin approves or rejects.",
                f.run("install_packages", "{\"apt\":[\"ffmpeg\",\"libfoo2.0+dfsg\"],\"npm\":[\"@scope/pkg\",\"left-pad\"],"
                        + "\"reason\":\"video\"}").text());

        OutRow row = f.onlyRow();
        assertSystemRowWithoutAddress(row, "msg-");
        assertEquals("{\"action\":\"install_packages\",\"apt\":[\"ffmpeg\",\"libfoo2.0+dfsg\"],"
                + "\"npm\":[\"@scope/pkg\",\"left-pad\"],\"reason\":\"video\"}", row.content().toString());
    }

    @Test
    void installPackagesChecksCountAndNames() throws Exception {
        assertEquals("Error: At least one apt or npm package is required", f.run("install_packages", "{}").text());
        assertEquals("Error: Maximum 20 packages per request",
                f.run("install_packages", "{\"apt\":[" + "\"a\",".repeat(20) + "\"b\"]}").text());
        assertEquals("Error: Invalid apt package name: \"curl; rm -rf /\". Only lowercase letters, digits, and ._+-"
                + " allowed.", f.run("install_packages", "{\"apt\":[\"curl; rm -rf /\"]}").text());
        assertEquals("Error: Invalid npm package name: \"lodash@4\". No version specs or shell characters.",
                f.run("install_packages", "{\"npm\":[\"lodash@4\"]}").text());
        assertEquals("Error: apt must be an array of strings", f.run("install_packages", "{\"apt\":\"git\"}").text());
        assertTrue(f.session.replies().isEmpty());
    }

    @Test
    void addMcpServerWritesTheRequestWithDefaults() throws Exception {
        assertEquals("MCP server request submitted. You will be notified when admin approves or rejects.",
                f.run("add_mcp_server", "{\"name\":\"github\",\"command\":\"npx\"}").text());

        OutRow row = f.onlyRow();
        assertSystemRowWithoutAddress(row, "msg-");
        assertEquals("{\"action\":\"add_mcp_server\",\"name\":\"github\",\"command\":\"npx\",\"args\":[],\"env\":{}}",
                row.content().toString());
    }

    @Test
    void addMcpServerKeepsArgsAndEnv() throws Exception {
        f.run("add_mcp_server", "{\"name\":\"gh_2\",\"command\":\"npx\",\"args\":[\"-y\",\"server-github\"],"
                + "\"env\":{\"GITHUB_HOST\":\"github.com\"}}");

        assertEquals("{\"action\":\"add_mcp_server\",\"name\":\"gh_2\",\"command\":\"npx\",\"args\":[\"-y\","
                + "\"server-github\"],\"env\":{\"GITHUB_HOST\":\"github.com\"}}", f.onlyRow().content().toString());
    }

    @Test
    void addMcpServerChecksItsShape() throws Exception {
        assertEquals("Error: name and command are required", f.run("add_mcp_server", "{\"name\":\"x\"}").text());
        assertEquals("Error: name and command are required",
                f.run("add_mcp_server", "{\"name\":\"x\",\"command\":\"  \"}").text());
        assertEquals("Error: Invalid MCP server name: \"my server\". Use 1 to 64 letters, digits, '_' or '-'.",
                f.run("add_mcp_server", "{\"name\":\"my server\",\"command\":\"x\"}").text());
        assertEquals("Error: Invalid MCP server name: \"" + "n".repeat(65) + "\". Use 1 to 64 letters, digits, '_'"
                + " or '-'.", f.run("add_mcp_server", "{\"name\":\"" + "n".repeat(65) + "\",\"command\":\"x\"}").text());
        assertEquals("Error: args must be an array of strings",
                f.run("add_mcp_server", "{\"name\":\"a\",\"command\":\"x\",\"args\":[1]}").text());
        assertEquals("Error: env must be an object of string values",
                f.run("add_mcp_server", "{\"name\":\"a\",\"command\":\"x\",\"env\":[\"A=1\"]}").text());
        assertEquals("Error: env must be an object of string values (PORT is not a string)",
                f.run("add_mcp_server", "{\"name\":\"a\",\"command\":\"x\",\"env\":{\"PORT\":8080}}").text());
        assertTrue(f.session.replies().isEmpty());
    }

    private static void assertSystemRowWithoutAddress(OutRow row, String idPrefix) {
        assertTrue(row.id().startsWith(idPrefix), row.id());
        assertEquals("system", row.kind());
        assertNull(row.platformId());
        assertNull(row.channelType());
        assertNull(row.threadId());
        assertNull(row.inReplyTo());
    }
}
