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
 * The credential proxy's OpenAI-compatible route, for agent groups on the openai provider: containers call
 * {@code /openai/v1/chat/completions} with their session token as a Bearer token; we check it and forward to
 * OPENAI_BASE_URL with {@code Authorization: Bearer <OPENAI_API_KEY>}. The key is optional, because local servers
 * (Ollama, llama.cpp, vLLM) need none; without it no Authorization header goes upstream at all, so the session
 * token never leaves this host either.
 */
@Path("/openai/v1")
public class OpenAiCredentialProxy {
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
        return new ProxyRoute(ApiFlavor.OPENAI, config.openaiBaseUrl() + "/", config.openaiApiKey(), null);
    }
}
