package io.nanoclaw.host.channels.discord;

import io.nanoclaw.host.channels.http.HttpReply;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Discord's per-route buckets, kept just enough to not hit them: a reply with {@code X-RateLimit-Remaining: 0}
 * closes its route for {@code X-RateLimit-Reset-After} seconds, a 429 for its {@code retry_after}, and a global 429
 * (or one we can't place) for every route. Routes are keyed by method and path with the message id and anything
 * after it folded, so "edit message 1" and "edit message 2" in one channel share a bucket, as on Discord.
 */
final class RateLimits {
    private final Map<String, Long> closedUntil = new ConcurrentHashMap<>();
    private volatile long globalUntil = System.nanoTime(); // nanoTime has an arbitrary origin: not 0

    static String route(String method, String path) {
        String p = path;
        int q = p.indexOf('?');
        if (q >= 0) {
            p = p.substring(0, q);
        }
        if (p.startsWith("/interactions/")) {
            return method + " /interactions/callback"; // never the interaction token
        }
        p = p.replaceAll("/messages/[^/]+/reactions(/.*)?$", "/messages/:id/reactions");
        p = p.replaceAll("/messages/[^/]+$", "/messages/:id");
        return method + " " + p;
    }

    /** How long the route is still closed; zero when a call may go now. */
    Duration wait(String route) {
        long now = System.nanoTime();
        long until = Math.max(globalUntil, closedUntil.getOrDefault(route, now));
        long left = until - now;
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }

    /** Reads the bucket headers of a reply. */
    void update(String route, HttpReply reply) {
        String remaining = reply.header("x-ratelimit-remaining");
        String resetAfter = reply.header("x-ratelimit-reset-after");
        if ("0".equals(remaining == null ? null : remaining.strip()) && resetAfter != null) {
            Duration d = seconds(resetAfter);
            if (d != null) {
                close(route, d, "true".equalsIgnoreCase(reply.header("x-ratelimit-global")));
            }
        }
    }

    void close(String route, Duration d, boolean global) {
        long until = System.nanoTime() + Math.min(d.toNanos(), Duration.ofMinutes(10).toNanos());
        if (global) {
            globalUntil = Math.max(globalUntil, until);
        } else {
            closedUntil.merge(route, until, Math::max);
        }
        if (closedUntil.size() > 1000) { // channels come and go; old entries are long expired
            long now = System.nanoTime();
            closedUntil.values().removeIf(t -> t - now < 0);
        }
    }

    private static Duration seconds(String s) {
        try {
            double v = Double.parseDouble(s.strip());
            return Double.isNaN(v) || v < 0 ? null : Duration.ofMillis((long) Math.ceil(v * 1000));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
