package io.nanoclaw.host.credentials;

import io.nanoclaw.host.config.HostConfig;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
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
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The credential proxy: agent containers call the model API here with their session token; we check the token,
 * put the real API key in its place and forward to ANTHROPIC_BASE_URL, streaming the answer back as it comes. The
 * real key lives only in this process: never in a container, its env, its mounts or a log line.
 */
@Path("/v1")
public class CredentialProxy {
    private static final Logger LOG = Logger.getLogger(CredentialProxy.class);
    /** Request headers passed through to the API; everything else (auth above all) is dropped. */
    static final Set<String> FORWARDED_HEADERS = Set.of("anthropic-version", "anthropic-beta", "content-type",
            "accept");
    /** Response headers passed back. */
    static final List<String> RETURNED_HEADERS = List.of("content-type", "retry-after", "request-id",
            "anthropic-ratelimit-requests-remaining", "anthropic-ratelimit-tokens-remaining");

    @Inject
    HostConfig config;

    @Inject
    ProxyTokens tokens;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    @POST
    @Path("/{path: .+}")
    @Blocking
    public Response post(@PathParam("path") String path, @Context HttpHeaders headers, byte[] body) {
        return forward("POST", path, headers, body);
    }

    @GET
    @Path("/{path: .+}")
    @Blocking
    public Response get(@PathParam("path") String path, @Context HttpHeaders headers) {
        return forward("GET", path, headers, null);
    }

    private Response forward(String method, String path, HttpHeaders headers, byte[] body) {
        String token = headers.getHeaderString("x-api-key");
        if (token == null) {
            String auth = headers.getHeaderString("authorization");
            token = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).strip() : null;
        }
        Optional<ProxyTokens.Holder> holder = tokens.check(token);
        if (holder.isEmpty()) {
            return apiError(401, "authentication_error", "invalid or expired session token");
        }
        if (path.contains("..") || !path.matches("[A-Za-z0-9_/.-]+")) {
            return apiError(400, "invalid_request_error", "bad path");
        }
        Optional<String> key = config.anthropicApiKey();
        if (key.isEmpty()) {
            return apiError(401, "authentication_error",
                    "ANTHROPIC_API_KEY is not set on the host (add it to .env and restart)");
        }
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(config.anthropicBaseUrl() + "/v1/" + path))
                .timeout(Duration.ofMinutes(10));
        for (String h : FORWARDED_HEADERS) {
            String v = headers.getHeaderString(h);
            if (v != null) {
                req.header(h, v);
            }
        }
        req.header("x-api-key", key.get());
        req.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body));
        HttpResponse<InputStream> upstream;
        try {
            upstream = http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            LOG.warnf("model API unreachable for session %s: %s", holder.get().sessionId(), e.getMessage());
            return apiError(502, "api_error", "model API unreachable: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return apiError(503, "api_error", "host shutting down");
        }
        Response.ResponseBuilder rb = Response.status(upstream.statusCode());
        for (String h : RETURNED_HEADERS) {
            upstream.headers().firstValue(h).ifPresent(v -> rb.header(h, v));
        }
        InputStream in = upstream.body();
        StreamingOutput stream = (OutputStream out) -> {
            try (in) {
                byte[] buf = new byte[8192];
                int n;
                while ((n = in.read(buf)) > 0) {
                    out.write(buf, 0, n);
                    out.flush(); // SSE: pass each event on as it arrives
                }
            }
        };
        return rb.entity(stream).build();
    }

    private static Response apiError(int status, String type, String message) {
        String json = "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\""
                + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}}";
        return Response.status(status).header("content-type", "application/json").entity(json).build();
    }
}
