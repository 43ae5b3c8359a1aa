package io.nanoclaw.host.containers.mounts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads container_configs.additional_mounts ({@code [{"hostPath", "containerPath"?, "readonly"?}]}) through
 * Jackson's tree model. A broken value or entry becomes a rejection, never an exception: the container still starts,
 * just without what couldn't be understood.
 */
public final class RequestedMounts {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The entries that could be read, and a rejection for each that couldn't. */
    public record Parsed(List<RequestedMount> mounts, List<MountRejection> rejected) {}

    private RequestedMounts() {}

    public static Parsed parse(String stored) {
        List<RequestedMount> mounts = new ArrayList<>();
        List<MountRejection> rejected = new ArrayList<>();
        if (stored == null || stored.isBlank()) {
            return new Parsed(mounts, rejected);
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(stored);
        } catch (IOException e) {
            rejected.add(new MountRejection(null, null, "additional_mounts is not valid JSON"));
            return new Parsed(mounts, rejected);
        }
        if (root == null || !root.isArray()) {
            rejected.add(new MountRejection(null, null, "additional_mounts must be a JSON array"));
            return new Parsed(mounts, rejected);
        }
        for (int i = 0; i < root.size(); i++) {
            JsonNode n = root.get(i);
            String where = "additional_mounts[" + i + "]";
            if (!n.isObject()) {
                rejected.add(new MountRejection(null, null, where + " must be an object"));
                continue;
            }
            JsonNode host = n.get("hostPath");
            JsonNode container = n.get("containerPath");
            JsonNode ro = n.get("readonly");
            String containerPath = container != null && container.isTextual() ? container.asText() : null;
            if (host == null || !host.isTextual()) {
                rejected.add(new MountRejection(null, containerPath, where + ".hostPath must be a string"));
            } else if (container != null && !container.isNull() && !container.isTextual()) {
                rejected.add(new MountRejection(host.asText(), null, where + ".containerPath must be a string"));
            } else if (ro != null && !ro.isNull() && !ro.isBoolean()) {
                // Not guessed: "readonly": "false" might mean either.
                rejected.add(new MountRejection(host.asText(), containerPath,
                        where + ".readonly must be true or false"));
            } else {
                boolean readonly = ro == null || ro.isNull() || ro.booleanValue();
                mounts.add(new RequestedMount(host.asText(), containerPath, readonly));
            }
        }
        return new Parsed(mounts, rejected);
    }
}
