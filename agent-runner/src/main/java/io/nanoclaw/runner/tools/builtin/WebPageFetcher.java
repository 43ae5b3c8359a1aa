package io.nanoclaw.runner.tools.builtin;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Fetches one page for WebFetch: GET with a size cap and one deadline over all hops, following redirects only within
 * the same site. A redirect elsewhere is handed back, as Claude Code does, so the model decides whether to go there.
 */
final class WebPageFetcher {
    static final long MAX_BYTES = 10L * 1024 * 1024;
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final int MAX_REDIRECTS = 10;
    private static final long PULSE_MS = 2_000;

    /** What a fetch ends with. */
    sealed interface Outcome permits Page, Redirect {}

    /** A final answer (2xx, or another status without a body we would want). */
    record Page(URI url, int status, String contentType, byte[] body) implements Outcome {}

    /** A redirect to another host, not followed. */
    record Redirect(URI from, URI to, int status) implements Outcome {}

    /** A fetch that failed; the message is meant for the model. */
    static final class Failed extends Exception {
        Failed(String message) {
            super(message, null, false, false);
        }
    }

    private final long maxBytes;
    private final Duration timeout;
    private volatile HttpClient client;

    WebPageFetcher() {
        this(MAX_BYTES, TIMEOUT);
    }

    WebPageFetcher(long maxBytes, Duration timeout) {
        this.maxBytes = maxBytes;
        this.timeout = timeout;
    }

    long maxBytes() {
        return maxBytes;
    }

    Duration timeout() {
        return timeout;
    }

    /**
     * Built on first use (an HttpClient's TLS set-up costs start-up time most sessions never need). Redirects are
     * ours to follow; the proxy is the JVM's default selector, which the launcher points at HTTPS_PROXY.
     */
    private HttpClient client() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                c = client;
                if (c == null) {
                    HttpClient.Builder b = HttpClient.newBuilder()
                            .followRedirects(HttpClient.Redirect.NEVER)
                            .connectTimeout(Duration.ofSeconds(10));
                    ProxySelector proxies = ProxySelector.getDefault();
                    if (proxies != null) {
                        b.proxy(proxies);
                    }
                    c = b.build();
                    client = c;
                }
            }
        }
        return c;
    }

    /** @param pulse called every couple of seconds while waiting (the runner's heartbeat) */
    Outcome fetch(URI url, Runnable pulse) throws Failed, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        URI current = url;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpResponse<byte[]> response = get(current, deadline, pulse);
            int status = response.statusCode();
            if (isRedirect(status)) {
                String location = response.headers().firstValue("location").orElse(null);
                if (location == null || location.isBlank()) {
                    throw new Failed("HTTP " + statusLine(status) + " without a Location header for " + current);
                }
                URI next;
                try {
                    next = current.resolve(location.strip().replace(" ", "%20"));
                } catch (IllegalArgumentException e) {
                    throw new Failed("HTTP " + status + " to an invalid Location: " + location);
                }
                if (!sameSite(current, next)) {
                    return new Redirect(current, next, status);
                }
                current = next;
                continue;
            }
            if (status >= 400) {
                throw new Failed("HTTP " + statusLine(status) + " for " + current);
            }
            return new Page(current, status, response.headers().firstValue("content-type").orElse(""),
                    response.body());
        }
        throw new Failed("more than " + MAX_REDIRECTS + " redirects starting at " + url);
    }

    private HttpResponse<byte[]> get(URI url, long deadline, Runnable pulse) throws Failed, InterruptedException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw timedOut(url);
        }
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(url)
                    .timeout(Duration.ofNanos(left))
                    .header("User-Agent", "Mozilla/5.0 (compatible; NanoClaw-WebFetch/1.0)")
                    .header("Accept", "text/html, text/markdown, text/plain;q=0.9, application/json;q=0.9, */*;q=0.5")
                    .GET()
                    .build();
        } catch (IllegalArgumentException e) {
            throw new Failed("invalid URL " + url + ": " + e.getMessage());
        }
        CompletableFuture<HttpResponse<byte[]>> future = client().sendAsync(request, info -> {
            int status = info.statusCode();
            if (isRedirect(status) || status >= 400) {
                return HttpResponse.BodySubscribers.replacing(new byte[0]); // not worth downloading
            }
            long declared = info.headers().firstValueAsLong("content-length").orElse(-1);
            return new CappedBody(maxBytes, declared);
        });
        try {
            while (true) {
                long wait = deadline - System.nanoTime();
                if (wait <= 0) {
                    throw timedOut(url);
                }
                try {
                    return future.get(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(PULSE_MS)), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    pulse.run();
                }
            }
        } catch (ExecutionException e) {
            throw failure(url, e.getCause());
        } finally {
            future.cancel(true); // a no-op once done; aborts the exchange on timeout or interrupt
        }
    }

    private Failed timedOut(URI url) {
        return new Failed("timed out after " + timeout.toSeconds() + " s fetching " + url);
    }

    private Failed failure(URI url, Throwable cause) {
        ConnectException connect = null;
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof CappedBody.TooLarge) {
                return new Failed(url + " is larger than " + maxBytes / (1024 * 1024) + " MB; WebFetch reads at"
                        + " most that. Download it with Bash (curl -o) and read parts of it instead.");
            }
            if (t instanceof HttpTimeoutException) {
                return timedOut(url);
            }
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return new Failed("the host name " + url.getHost() + " could not be resolved (DNS)");
            }
            if (t instanceof SSLException) {
                return new Failed("TLS failed for " + url + ": " + t.getMessage());
            }
            if (t instanceof ConnectException c && connect == null) {
                connect = c; // its causes may say more (DNS), so read on
            }
        }
        if (connect != null) {
            return new Failed("could not connect to " + hostPort(url) + " ("
                    + (connect.getMessage() == null ? "refused or unreachable" : connect.getMessage()) + ")");
        }
        String message = cause == null ? "unknown error" : cause.getMessage();
        if (cause instanceof IOException && message == null) {
            message = cause.getClass().getSimpleName();
        }
        return new Failed("fetching " + url + " failed: " + message);
    }

    private static String hostPort(URI url) {
        return url.getHost() + (url.getPort() >= 0 ? ":" + url.getPort() : "");
    }

    static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /**
     * The same site: the same host (ignoring a leading {@code www.}) and port, and the same scheme or an upgrade
     * from http to https; no credentials smuggled into the new URL.
     */
    static boolean sameSite(URI from, URI to) {
        if (to.getHost() == null || to.getRawUserInfo() != null) {
            return false;
        }
        String fs = from.getScheme().toLowerCase(Locale.ROOT);
        String ts = to.getScheme() == null ? "" : to.getScheme().toLowerCase(Locale.ROOT);
        boolean schemeOk = fs.equals(ts) || (fs.equals("http") && ts.equals("https"));
        return schemeOk && bareHost(from).equals(bareHost(to))
                && (fs.equals(ts) ? port(from) == port(to) : to.getPort() < 0 || to.getPort() == 443);
    }

    private static String bareHost(URI u) {
        String h = u.getHost().toLowerCase(Locale.ROOT);
        return h.startsWith("www.") ? h.substring(4) : h;
    }

    private static int port(URI u) {
        if (u.getPort() >= 0) {
            return u.getPort();
        }
        return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    /** "404 Not Found"; just the number for a status without a common phrase. */
    static String statusLine(int status) {
        String r = reason(status);
        return r.isEmpty() ? String.valueOf(status) : status + " " + r;
    }

    static String reason(int status) {
        return switch (status) {
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 303 -> "See Other";
            case 307 -> "Temporary Redirect";
            case 308 -> "Permanent Redirect";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 408 -> "Request Timeout";
            case 410 -> "Gone";
            case 429 -> "Too Many Requests";
            case 451 -> "Unavailable For Legal Reasons";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "";
        };
    }
}
