package io.nanoclaw.runner.provider.openai;

import java.net.URI;

/**
 * @param baseUrl the API root up to and including {@code /v1} (the credential proxy's {@code /openai/v1} route, or a
 *                server such as Ollama's {@code http://localhost:11434/v1})
 * @param apiKey the per-session proxy token sent as a Bearer token; null sends no Authorization header
 * @param model the model id exactly as the server names it; null when container.json has none
 */
public record OpenAiSettings(URI baseUrl, String apiKey, String model, int maxTokens) {

    public URI chatCompletionsUri() {
        String base = baseUrl.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + "/chat/completions");
    }

    @Override
    public String toString() {
        return "OpenAiSettings[baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? "absent" : "set")
                + ", model=" + model + ", maxTokens=" + maxTokens + "]";
    }
}
