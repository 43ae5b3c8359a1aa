package io.nanoclaw.host.channels.http;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** One HTTP request to a platform. {@code maxResponseBytes} caps what is read back (a hostile or broken server). */
public record HttpCall(String method, String url, Map<String, String> headers, byte[] body, Duration timeout,
                       long maxResponseBytes) {
    public static final long DEFAULT_MAX_RESPONSE_BYTES = 8L << 20;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public static HttpCall get(String url) {
        return new HttpCall("GET", url, new LinkedHashMap<>(), null, DEFAULT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES);
    }

    public static HttpCall postJson(String url, String json) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json; charset=utf-8");
        return new HttpCall("POST", url, h, json.getBytes(java.nio.charset.StandardCharsets.UTF_8), DEFAULT_TIMEOUT,
                DEFAULT_MAX_RESPONSE_BYTES);
    }

    public static HttpCall post(String url, Multipart form) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", form.contentType());
        return new HttpCall("POST", url, h, form.body(), DEFAULT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES);
    }

    public HttpCall method(String m) {
        return new HttpCall(m, url, headers, body, timeout, maxResponseBytes);
    }

    public HttpCall header(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new HttpCall(method, url, h, body, timeout, maxResponseBytes);
    }

    public HttpCall timeout(Duration t) {
        return new HttpCall(method, url, headers, body, t, maxResponseBytes);
    }

    public HttpCall maxResponseBytes(long max) {
        return new HttpCall(method, url, headers, body, timeout, max);
    }
}
