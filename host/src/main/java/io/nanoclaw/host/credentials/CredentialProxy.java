package io.nanoclaw.host.credentials;

import io.nanoclaw.host.config.HostConfig;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * The credential proxy's Anthropic route: agent containers call the Messages API here with their session token; we
 * check the token, put the real API key in its place and forward to ANTHROPIC_BASE_URL, streaming the answer back
 * as it comes. The real key lives only in this process: never in a container, its env, its mounts or a log line.
 */
@Path("/v1")
public class CredentialProxy {
    @Inject
    HostConfig config;

    @Inject
    ProxyForwarder forwarder;

    @POST
    @Path("/{path: .+}")
    @Blocking
    public Response post(@PathParam("path") String path, @Context HttpHeaders headers, byte[] body) {
        return forwarder.forward(route(), "POST", path, headers, body);
    }

    @GET
    @Path("/{path: .+}")
    @Blocking
    public Response get(@PathParam("path") String path, @Context HttpHeaders headers) {
        return forwarder.forward(route(), "GET", path, headers, null);
    }

    private ProxyRoute route() {
        return new ProxyRoute(ApiFlavor.ANTHROPIC, config.anthropicBaseUrl() + "/v1/", config.anthropicApiKey(),
                "ANTHROPIC_API_KEY is not set on the host (add it to .env and restart)");
    }
}
