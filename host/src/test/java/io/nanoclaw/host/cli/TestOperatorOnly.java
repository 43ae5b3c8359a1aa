package io.nanoclaw.host.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import jakarta.inject.Singleton;

/** An operator-only command for the scope tests (status, logs and the like are operator-only). */
@Singleton
public class TestOperatorOnly extends NclCommand {
    public TestOperatorOnly() {
        super("test-operator-only", NclAccess.OPERATOR, "", "a test command only the operator may run");
    }

    @Override
    public JsonNode handle(NclCall call) {
        return JsonNodeFactory.instance.objectNode().put("ran", true);
    }
}
