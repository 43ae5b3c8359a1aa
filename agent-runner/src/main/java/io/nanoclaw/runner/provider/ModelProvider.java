package io.nanoclaw.runner.provider;

/** One model backend. A call is one assistant turn: the whole conversation in, the final answer out. */
public interface ModelProvider {
    /** The name used for the continuation slot ({@code continuation:<name>}). */
    String name();

    ModelReply complete(ModelRequest request) throws ProviderException;
}
