package io.nanoclaw.runner.provider;

/**
 * Stands in for a provider name this runner doesn't know. Exiting instead would make the host respawn the
 * container for every message while the user hears nothing; this way each batch gets an {@code Error:} reply.
 */
public final class UnsupportedProvider implements ModelProvider {
    private final String name;

    public UnsupportedProvider(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ModelReply complete(ModelRequest request) throws ProviderException {
        throw new ProviderException("unknown provider '" + name + "' in container.json (supported: anthropic, openai)");
    }
}
