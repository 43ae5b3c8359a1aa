package io.nanoclaw.host.channels.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** A platform's answer. Header names are lower-case. */
public record HttpReply(int status, Map<String, List<String>> headers, byte[] body) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public String header(String name) {
        List<String> v = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The body as JSON; a body that isn't JSON is an IOException that quotes its start. */
    public JsonNode json() throws IOException {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            String t = text();
            throw new IOException("HTTP " + status + " answered with something that is not JSON: "
                    + (t.length() > 120 ? t.substring(0, 120) + "…" : t));
        }
    }

    public boolean ok() {
        return status >= 200 && status < 300;
    }
}
