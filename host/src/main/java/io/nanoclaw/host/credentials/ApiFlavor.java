package io.nanoclaw.host.credentials;

import io.nanoclaw.host.usage.UsageTap;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Set;

/**
 * What differs between the model APIs the credential proxy fronts: their headers, key header, error shape and how
 * they report usage.
 */
enum ApiFlavor {
    ANTHROPIC(Set.of("anthropic-version", "anthropic-beta", "content-type", "accept"),
            List.of("content-type", "retry-after", "request-id", "anthropic-ratelimit-requests-remaining",
                    "anthropic-ratelimit-tokens-remaining"), UsageTap.Api.ANTHROPIC) {
        @Override
        void putKey(HttpRequest.Builder request, String key) {
            request.header("x-api-key", key);
        }

        @Override
        String errorBody(String type, String message) {
            return "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"" + escape(message)
                    + "\"}}";
        }
    },
    OPENAI(Set.of("content-type", "accept"),
            List.of("content-type", "retry-after", "x-request-id", "x-ratelimit-remaining-requests",
                    "x-ratelimit-remaining-tokens"), UsageTap.Api.OPENAI) {
        @Override
        void putKey(HttpRequest.Builder request, String key) {
            request.header("authorization", "Bearer " + key);
        }

        @Override
        String errorBody(String type, String message) {
            return "{\"error\":{\"message\":\"" + escape(message) + "\",\"type\":\"" + type
                    + "\",\"param\":null,\"code\":null}}";
        }
    };

    /** Request headers passed through to the API; everything else (auth above all) is dropped. */
    final Set<String> forwardedHeaders;
    /** Response headers passed back. */
    final List<String> returnedHeaders;
    /** The usage shape of its answers. */
    final UsageTap.Api usageApi;

    ApiFlavor(Set<String> forwardedHeaders, List<String> returnedHeaders, UsageTap.Api usageApi) {
        this.forwardedHeaders = forwardedHeaders;
        this.returnedHeaders = returnedHeaders;
        this.usageApi = usageApi;
    }

    /** Puts the real key on the upstream request, in the header this API reads it from. */
    abstract void putKey(HttpRequest.Builder request, String key);

    /** An error answer of the proxy's own, in this API's shape so the runner shows its message. */
    abstract String errorBody(String type, String message);

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
