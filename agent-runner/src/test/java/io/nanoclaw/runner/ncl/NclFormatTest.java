package io.nanoclaw.runner.ncl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nanoclaw.runner.json.Json;
import org.junit.jupiter.api.Test;

/** ncl's argument parsing and output shapes (agent-runner.md 3.6, host.md 9). */
class NclFormatTest {
    @Test
    void positionalsJoinWithDashesAndFlagsBecomeArgs() {
        NclCommand c = NclArgs.parse(new String[] {"groups", "config", "get", "--id", "ag-1", "--verbose",
                "--agent-group", "ag-2", "--json", "--dry-run"});
        assertEquals("groups-config-get", c.command());
        assertEquals("{\"id\":\"ag-1\",\"verbose\":true,\"agent_group\":\"ag-2\",\"dry_run\":true}",
                c.args().toString());
        assertTrue(c.json());
        assertFalse(NclArgs.parse(new String[] {"help"}).json());
        assertNull(NclArgs.parse(new String[] {"--json", "--x", "1"}));
    }

    @Test
    void emptyRowsScalarsAndNestedDataPrintSensibly() throws Exception {
        assertEquals("(no rows)\n", NclOutput.data(Json.parse("[]")));
        assertEquals("\"done\"\n", NclOutput.data(Json.parse("\"done\"")));
        assertEquals("null\n", NclOutput.data(null));
        assertEquals("[\n  {\n    \"id\": 1,\n    \"tags\": [\n      \"a\"\n    ]\n  }\n]\n",
                NclOutput.data(Json.parse("[{\"id\":1,\"tags\":[\"a\"]}]")));
        assertEquals("ok    n  \n----  ---\ntrue  1.5\n", NclOutput.data(Json.parse("[{\"ok\":true,\"n\":1.5}]")));
    }

    @Test
    void errorLine() throws Exception {
        assertEquals("error (not-found): no group ag-9\n", NclOutput.error(Json.parse(
                "{\"ok\":false,\"error\":{\"code\":\"not-found\",\"message\":\"no group ag-9\"}}")));
    }
}
