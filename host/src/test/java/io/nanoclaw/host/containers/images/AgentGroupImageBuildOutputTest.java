package io.nanoclaw.host.containers.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.BuildResponseItem;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a build's JSON stream turns into: whole lines, no builder chatter or colour codes, a short error. */
class AgentGroupImageBuildOutputTest {
    private final ObjectMapper mapper = new ObjectMapper();

    private void feed(BuildOutput out, String json) throws Exception {
        out.onNext(mapper.readValue(json, BuildResponseItem.class));
    }

    @Test
    void linesAreCutAcrossChunksAndCleaned() throws Exception {
        BuildOutput out = new BuildOutput("ag-1");
        feed(out, "{\"stream\":\"Step 4/5 : RUN apt-get update  && apt-get install -y cowsay\\n\"}");
        feed(out, "{\"stream\":\" ---> Running in 51eec7750988\\n\"}");
        feed(out, "{\"stream\":\"Reading package \"}");
        feed(out, "{\"stream\":\"lists...\\r\\n\"}");
        feed(out, "{\"stream\":\"\\u001b[91mE: Unable to locate package cowsay\\n\\u001b[0m\"}");
        feed(out, "{\"stream\":\"\\u001b[0mRemoving intermediate container 51eec7750988\\n\"}");
        feed(out, "{\"errorDetail\":{\"code\":100,\"message\":\"The command '/bin/sh -c apt-get update  && "
                + "apt-get install -y cowsay' returned a non-zero code: 100\"},\"error\":\"The command ...\"}");
        assertEquals(List.of("Step 4/5 : RUN apt-get update  && apt-get install -y cowsay",
                "Reading package lists...", "E: Unable to locate package cowsay"), out.tail());
        assertEquals("Step 4/5 : RUN apt-get update  && apt-get install -y cowsay exited with code 100", out.error());
        assertNull(out.builtId());
    }

    @Test
    void theTailIsBounded() throws Exception {
        BuildOutput out = new BuildOutput("ag-1");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            feed(out, "{\"stream\":\"line " + i + "\\n\"}");
            if (i >= 100 - BuildOutput.TAIL) {
                expected.add("line " + i);
            }
        }
        feed(out, "{\"stream\":\"no newline at the end\"}");
        expected.remove(0);
        expected.add("no newline at the end");
        assertEquals(expected, out.tail());
        feed(out, "{\"stream\":\"Successfully built 0123456789ab\\n\"}");
        assertEquals("0123456789ab", out.builtId());
        assertNull(out.error());
    }
}
