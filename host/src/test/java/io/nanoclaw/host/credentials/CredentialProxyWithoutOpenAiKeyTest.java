package io.nanoclaw.host.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

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
import org.junit.jupiter.api.Test;

/** A local server (Ollama, llama.cpp) needs no key: the proxy then sends no Authorization header at all. */
@QuarkusTest
@TestProfile(HostWithFakeUpstreams.WithoutOpenAiKey.class)
class CredentialProxyWithoutOpenAiKeyTest {
    @TestHTTPResource("/")
    URL proxy;

    @Inject
    ProxyTokens tokens;

    @Test
    void forwardsWithoutAnyAuthorization() throws Exception {
        String token = tokens.issue("sess-local", "ag-local");
        try {
            HttpResponse<String> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(proxy.toString()).resolve("/openai/v1/chat/completions"))
                    .header("authorization", "Bearer " + token).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(CredentialProxyTest.BODY)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, res.statusCode(), res.body());
            assertEquals(HostWithFakeUpstreams.OPENAI_SSE, res.body());
            FakeUpstream.Seen up = HostWithFakeUpstreams.openai.seen.get(0);
            assertNull(up.header("authorization"), "neither a key nor the session token goes upstream");
            assertFalse(up.headers().toString().contains(token));
        } finally {
            tokens.revoke("sess-local");
        }
    }
}
