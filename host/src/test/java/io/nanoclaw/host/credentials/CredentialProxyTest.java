package io.nanoclaw.host.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nanoclaw.host.testkit.FakeUpstream;
import io.nanoclaw.host.testkit.HostWithFakeUpstreams;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Both routes of the credential proxy against fake model APIs on loopback: the session token in, the real key out,
 * only the API's own headers forwarded, the stream passed back, and no upstream call for a bad token.
 */
@QuarkusTest
@TestProfile(HostWithFakeUpstreams.class)
class CredentialProxyTest {
    static final String BODY = "{\"model\":\"llama3.2\",\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @TestHTTPResource("/")
    URL proxy;

    @Inject
    ProxyTokens tokens;

    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper mapper = new ObjectMapper();
    String token;

    @BeforeEach
    void issue() {
        token = tokens.issue("sess-proxy-test", "ag-proxy-test");
        HostWithFakeUpstreams.openai.seen.clear();
        HostWithFakeUpstreams.anthropic.seen.clear();
    }

    @AfterEach
    void revoke() {
        tokens.revoke("sess-proxy-test");
    }

    HttpResponse<String> post(String path, String authHeader, String authValue) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(proxy.toString()).resolve(path))
                .header("content-type", "application/json").header("accept", "text/event-stream")
                .header("openai-organization", "org-from-the-container")
                .POST(HttpRequest.BodyPublishers.ofString(BODY));
        if (authHeader != null) {
            b.header(authHeader, authValue);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theOpenAiRouteForwardsWithTheRealKey() throws Exception {
        HttpResponse<String> res = post("/openai/v1/chat/completions", "Authorization", "Bearer " + token);

        assertEquals(200, res.statusCode(), res.body());
        assertEquals(HostWithFakeUpstreams.OPENAI_SSE, res.body(), "the stream comes back unchanged");
        assertTrue(res.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        assertEquals("req_upstream_1", res.headers().firstValue("x-request-id").orElse(null));
        assertTrue(res.headers().firstValue("set-cookie").isEmpty(), "only the API's own headers come back");

        List<FakeUpstream.Seen> seen = HostWithFakeUpstreams.openai.seen;
        assertEquals(1, seen.size());
        FakeUpstream.Seen up = seen.get(0);
        assertEquals("POST", up.method());
        assertEquals("/v1/chat/completions", up.path());
        assertEquals(List.of("Bearer " + HostWithFakeUpstreams.OPENAI_KEY), up.headers().get("authorization"));
        assertEquals("application/json", up.header("content-type"));
        assertNull(up.header("openai-organization"), "other headers are dropped");
        assertFalse(up.headers().toString().contains(token), "the session token stays on this host");
        assertEquals(BODY, up.body());
        assertTrue(HostWithFakeUpstreams.anthropic.seen.isEmpty());
    }

    @Test
    void theOpenAiRouteRejectsABadTokenWithoutCallingUpstream() throws Exception {
        for (String bad : new String[] {"Bearer ncl-" + "0".repeat(64), "Bearer " + HostWithFakeUpstreams.OPENAI_KEY,
                "Bearer ", "Basic " + token}) {
            HttpResponse<String> res = post("/openai/v1/chat/completions", "Authorization", bad);
            assertEquals(401, res.statusCode(), bad);
            JsonNode error = mapper.readTree(res.body()).get("error");
            assertEquals("invalid or expired session token", error.get("message").asText(), "the OpenAI error shape");
        }
        assertEquals(401, post("/openai/v1/chat/completions", null, null).statusCode(), "no token at all");
        tokens.revoke("sess-proxy-test");
        assertEquals(401, post("/openai/v1/chat/completions", "Authorization", "Bearer " + token).statusCode(),
                "a revoked token");
        assertTrue(HostWithFakeUpstreams.openai.seen.isEmpty(), "nothing reached the model API");
    }

    @Test
    void theAnthropicRouteStillForwardsWithItsKey() throws Exception {
        HttpResponse<String> res = post("/v1/messages", "x-api-key", token);

        assertEquals(200, res.statusCode(), res.body());
        assertEquals(HostWithFakeUpstreams.ANTHROPIC_SSE, res.body());
        FakeUpstream.Seen up = HostWithFakeUpstreams.anthropic.seen.get(0);
        assertEquals("/v1/messages", up.path());
        assertEquals(List.of(HostWithFakeUpstreams.ANTHROPIC_KEY), up.headers().get("x-api-key"));
        assertNull(up.header("authorization"));

        HttpResponse<String> bad = post("/v1/messages", "x-api-key", HostWithFakeUpstreams.ANTHROPIC_KEY);
        assertEquals(401, bad.statusCode());
        assertEquals("authentication_error", mapper.readTree(bad.body()).get("error").get("type").asText(),
                "the Anthropic error shape");
        assertEquals(1, HostWithFakeUpstreams.anthropic.seen.size());
    }

    @Test
    void pathsOutsideTheApiAreRefused() throws Exception {
        HttpResponse<String> res = post("/openai/v1/chat/..%2F..%2Fadmin", "Authorization", "Bearer " + token);
        assertTrue(res.statusCode() == 400 || res.statusCode() == 404, res.statusCode() + " " + res.body());
        assertTrue(HostWithFakeUpstreams.openai.seen.isEmpty());
    }
}
