package io.nanoclaw.host.approvals;

import com.fasterxml.jackson.databind.JsonNode;
import io.nanoclaw.host.entities.Session;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A test action: records what it was given; fails when the payload says so. */
@Singleton
public class EchoApprovedAction implements ApprovedAction {
    public final List<String> applied = new CopyOnWriteArrayList<>();

    @Override
    public String action() {
        return "test_echo";
    }

    @Override
    public String apply(Session requester, JsonNode payload) throws Exception {
        if (payload.path("fail").asBoolean()) {
            throw new Exception("it broke");
        }
        applied.add(payload.path("say").asText());
        return "echoed " + payload.path("say").asText();
    }
}
