package io.nanoclaw.host.credentials;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/**
 * {@code GET /nanoclaw/ping}: answered by the proxy itself, with no token and no upstream call. Agent-runners call
 * it while starting, to open their keep-alive connection before the first model call.
 */
@Path("/nanoclaw/ping")
public class ProxyPing {
    @GET
    public Response ping() {
        return Response.noContent().build();
    }
}
