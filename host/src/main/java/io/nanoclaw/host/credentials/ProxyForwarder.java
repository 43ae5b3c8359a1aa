package io.nanoclaw.host.credentials;

import io.nanoclaw.host.usage.UsageRecorder;
import io.nanoclaw.host.usage.UsageTap;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The forwarding shared by the proxy's routes: check the session token, put the real key in its place, forward
 * only the API's own headers, and stream the answer back as it comes. A successful answer is watched on its way
 * through (never held back) for the usage the API reports, which is recorded per agent group and session.
 */
@Singleton
public class ProxyForwarder {
    private static final Logger LOG = Logger.getLogger(ProxyForwarder.class);

    @Inject
    ProxyTokens tokens;

    @Inject
    UsageRecorder usage;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    Response forward(ProxyRoute route, String method, String path, HttpHeaders headers, byte[] body) {
        ApiFlavor flavor = route.flavor();
        Optional<ProxyTokens.Holder> holder = tokens.check(sessionToken(headers));
        if (holder.isEmpty()) {
            return error(flavor, 401, "authentication_error", "invalid or expired session token");
        }
        if (path.contains("..") || !path.matches("[A-Za-z0-9_/.-]+")) {
            return error(flavor, 400, "invalid_request_error", "bad path");
        }
        if (route.key().isEmpty() && route.missingKey() != null) {
            return error(flavor, 401, "authentication_error", route.missingKey());
        }
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(route.targetBase() + path))
                .timeout(Duration.ofMinutes(10));
        for (String h : flavor.forwardedHeaders) {
            String v = headers.getHeaderString(h);
            if (v != null) {
                req.header(h, v);
            }
        }
        route.key().ifPresent(k -> flavor.putKey(req, k));
        req.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body));
        HttpResponse<InputStream> upstream;
        try {
            upstream = http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            LOG.warnf("model API unreachable for session %s: %s", holder.get().sessionId(), e.getMessage());
            return error(flavor, 502, "api_error", "model API unreachable: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error(flavor, 503, "api_error", "host shutting down");
        }
        Response.ResponseBuilder rb = Response.status(upstream.statusCode());
        for (String h : flavor.returnedHeaders) {
            upstream.headers().firstValue(h).ifPresent(v -> rb.header(h, v));
        }
        InputStream in = upstream.body();
        ProxyTokens.Holder who = holder.get();
        // Error answers cost nothing and carry no usage, so only a 2xx is watched.
        UsageTap tap = upstream.statusCode() / 100 == 2
                ? UsageTap.open(flavor.usageApi, upstream.headers().firstValue("content-type").orElse(null))
                : null;
        StreamingOutput stream = (OutputStream out) -> {
            try (in) {
                byte[] buf = new byte[8192];
                int n;
                while ((n = in.read(buf)) > 0) {
                    out.write(buf, 0, n);
                    out.flush(); // SSE: pass each event on as it arrives
                    if (tap != null) {
                        tap.accept(buf, 0, n); // after the bytes are on their way, and it never throws
                    }
                }
            } finally {
                if (tap != null) { // also when either side cut the stream: the tokens seen were billed
                    usage.record(who.agentGroupId(), who.sessionId(), tap);
                }
            }
        };
        return rb.entity(stream).build();
    }

    /** The container's token: x-api-key (Anthropic clients) or a Bearer token (OpenAI clients). */
    private static String sessionToken(HttpHeaders headers) {
        String token = headers.getHeaderString("x-api-key");
        if (token != null) {
            return token;
        }
        String auth = headers.getHeaderString("authorization");
        return auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).strip() : null;
    }

    private static Response error(ApiFlavor flavor, int status, String type, String message) {
        return Response.status(status).header("content-type", "application/json")
                .entity(flavor.errorBody(type, message)).build();
    }
}
