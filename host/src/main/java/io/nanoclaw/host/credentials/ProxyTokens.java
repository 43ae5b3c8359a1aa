package io.nanoclaw.host.credentials;

import jakarta.inject.Singleton;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One random token per running session. A container gets its session's token instead of an API key; the token is
 * valid only while that container runs (issued at spawn, revoked at exit) and is worthless outside this host.
 */
@Singleton
public class ProxyTokens {
    /** Whose token it is, for usage accounting. */
    public record Holder(String sessionId, String agentGroupId) {}

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Holder> byToken = new ConcurrentHashMap<>();
    private final Map<String, String> bySession = new ConcurrentHashMap<>();

    public String issue(String sessionId, String agentGroupId) {
        byte[] b = new byte[32];
        random.nextBytes(b);
        String token = "ncl-" + HexFormat.of().formatHex(b);
        String old = bySession.put(sessionId, token);
        if (old != null) {
            byToken.remove(old);
        }
        byToken.put(token, new Holder(sessionId, agentGroupId));
        return token;
    }

    public void revoke(String sessionId) {
        String token = bySession.remove(sessionId);
        if (token != null) {
            byToken.remove(token);
        }
    }

    /** Constant-time enough: the map lookup is by the full token, and a miss says nothing about near misses. */
    public Optional<Holder> check(String token) {
        if (token == null || token.length() != 68) {
            return Optional.empty();
        }
        Holder h = byToken.get(token);
        if (h == null) {
            return Optional.empty();
        }
        String expected = bySession.get(h.sessionId());
        return expected != null && MessageDigest.isEqual(expected.getBytes(), token.getBytes())
                ? Optional.of(h) : Optional.empty();
    }
}
