package io.nanoclaw.runner.provider.anthropic;

import java.net.URI;

/**
 * @param baseUrl the credential proxy (or the public API), without the /v1/messages path
 * @param apiKey the per-session proxy token sent as x-api-key; null sends no key
 * @param thinking extended thinking for every call, or null for none
 */
public record AnthropicSettings(URI baseUrl, String apiKey, String model, int maxTokens, Thinking thinking) {

    public AnthropicSettings(URI baseUrl, String apiKey, String model, int maxTokens) {
        this(baseUrl, apiKey, model, maxTokens, null);
    }

    public URI messagesUri() {
        String base = baseUrl.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + "/v1/messages");
    }

    @Override
    public String toString() {
        return "AnthropicSettings[baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? "absent" : "set")
                + ", model=" + model + ", maxTokens=" + maxTokens + ", thinking=" + thinking + "]";
    }
}
