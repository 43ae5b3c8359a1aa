package io.nanoclaw.protocol;

/** Environment variables the host sets on an agent container. None of them ever holds a real secret. */
public final class ContainerEnv {
    private ContainerEnv() {}

    /** The credential proxy's base URL, used as the Anthropic base URL inside the container. */
    public static final String ANTHROPIC_BASE_URL = "ANTHROPIC_BASE_URL";
    /**
     * The credential proxy's OpenAI-compatible route ({@code <proxy>/openai/v1}), the base URL of the
     * OpenAI-compatible provider inside the container.
     */
    public static final String OPENAI_BASE_URL = "OPENAI_BASE_URL";
    /**
     * The per-session proxy token (sent as x-api-key, or as a Bearer token on the OpenAI route); the proxy swaps it
     * for the real key.
     */
    public static final String PROXY_TOKEN = "NANOCLAW_PROXY_TOKEN";
    public static final String TZ = "TZ";
    public static final String JOURNAL_MODE = "NANOCLAW_JOURNAL_MODE";
    public static final String SESSION_ID = "NANOCLAW_SESSION_ID";
    public static final String AGENT_GROUP_ID = "NANOCLAW_AGENT_GROUP_ID";
    /** Overrides /workspace, for running the runner outside a container (tests). */
    public static final String WORKSPACE = "NANOCLAW_WORKSPACE";
    /** Overrides the per-group state dir that keeps conversation history (tests). */
    public static final String STATE_DIR = "NANOCLAW_STATE_DIR";
}
