package io.nanoclaw.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The client's own parts: the command line, the output, completion and a missing host. */
class NclClientTest {
    private static final ObjectMapper M = new ObjectMapper();

    private static NclRequest parse(String... argv) {
        return NclRequest.parse(Main.words(argv));
    }

    @Test
    void wordsJoinWithDashesAndFlagsBecomeArguments() {
        NclRequest r = parse("groups", "get", "ag-1", "--max-messages-per-prompt", "5", "--rebuild", "--json");
        assertEquals("groups-get-ag-1", r.command());
        assertEquals("5", r.args().get("max_messages_per_prompt").asText());
        assertTrue(r.args().get("rebuild").asBoolean(), "a bare flag is true");
        assertTrue(r.json());
        assertFalse(r.args().has("json"));
    }

    @Test
    void aFlagBeforeAnotherFlagIsTrueAndKeyEqualsValueWorks() {
        NclRequest r = parse("wirings", "create", "--dry", "--priority=-3", "--name", "a b");
        assertTrue(r.args().get("dry").isBoolean());
        assertEquals("-3", r.args().get("priority").asText());
        assertEquals("a b", r.args().get("name").asText());
        assertEquals(List.of("wirings", "create"), r.words());
    }

    @Test
    void noWordsIsAMissingCommand() {
        assertEquals(null, parse("--json").command());
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"--json"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err), Path.of("."));
        assertEquals(2, code);
        assertTrue(err.toString().contains("missing command"));
    }

    @Test
    void flatRowsAreATable() throws Exception {
        String t = NclOutput.data(M.readTree("[{\"id\":\"a\",\"n\":1,\"x\":null},{\"id\":\"bbbb\",\"n\":22}]"));
        assertEquals("id    n   x\n----  --  -\na     1\nbbbb  22\n", t);
        assertEquals("(no rows)\n", NclOutput.data(M.readTree("[]")));
    }

    @Test
    void nestedDataIsJson() throws Exception {
        String t = NclOutput.data(M.readTree("{\"id\":\"a\",\"roles\":[{\"role\":\"admin\"}]}"));
        assertTrue(t.startsWith("{\n  \"id\" : \"a\","), t);
        assertTrue(NclOutput.data(M.readTree("[{\"a\":{\"b\":1}}]")).startsWith("["));
    }

    @Test
    void errorsAreOneLine() throws Exception {
        assertEquals("error (not-found): no agent group 'x'\n", NclOutput.error(M.readTree(
                "{\"id\":\"1\",\"ok\":false,\"error\":{\"code\":\"not-found\",\"message\":\"no agent group 'x'\"}}")));
    }

    @Test
    void noSocketIsExitTwoWithAHint() throws Exception {
        Path home = Files.createTempDirectory("ncl-home-");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"groups", "list"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8), home);
        assertEquals(2, code);
        assertEquals("ncl: cannot reach the host at " + home.resolve("data/ncl.sock")
                + ": is the host running? (./nanoclaw start)\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void completionCoversResourcesAndVerbs() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new String[] {"completion", "bash"}, new PrintStream(out),
                new PrintStream(new ByteArrayOutputStream()), Path.of(".")));
        String s = out.toString();
        assertTrue(s.contains("complete -F _ncl_complete ncl"));
        assertTrue(s.contains("\"groups config\") words=\"get update add-mcp-server remove-mcp-server add-package "
                + "remove-package\""), s);
        assertTrue(s.contains("\"wirings\") words=\"list get create update delete\""), s);
        assertEquals(1, Main.run(new String[] {"completion", "fish"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream()), Path.of(".")));
    }
}
