package io.nanoclaw.protocol;

/** Names inside a session folder, the same on the host and (under /workspace) in the container. */
public final class SessionFiles {
    private SessionFiles() {}

    public static final String INBOUND_DB = "inbound.db";
    public static final String OUTBOUND_DB = "outbound.db";
    public static final String HEARTBEAT = ".heartbeat";
    public static final String INBOX = "inbox";
    public static final String OUTBOX = "outbox";

    /** Mount points inside the container. */
    public static final String CONTAINER_WORKSPACE = "/workspace";
    public static final String CONTAINER_AGENT_DIR = "/workspace/agent";
    public static final String CONTAINER_HOME = "/home/agent";
    public static final String CONTAINER_STATE_DIR = "/home/agent/.nanoclaw";
    public static final String CONTAINER_CONFIG = "/workspace/agent/container.json";
}
