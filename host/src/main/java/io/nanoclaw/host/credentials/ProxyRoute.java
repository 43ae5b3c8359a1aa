package io.nanoclaw.host.credentials;

import java.util.Optional;

/**
 * One upstream the proxy forwards to.
 *
 * @param targetBase the URL a request's path is appended to
 * @param key the real API key; never logged
 * @param missingKey the error when the key is absent; null when the API needs none (a local Ollama or llama.cpp)
 */
record ProxyRoute(ApiFlavor flavor, String targetBase, Optional<String> key, String missingKey) {
    @Override
    public String toString() {
        return "ProxyRoute[" + flavor + " -> " + targetBase + ", key " + (key.isPresent() ? "set" : "absent") + "]";
    }
}
