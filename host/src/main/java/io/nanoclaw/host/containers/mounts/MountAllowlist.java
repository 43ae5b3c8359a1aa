package io.nanoclaw.host.containers.mounts;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The parsed mount allowlist (host.md 5.6): where extra mounts may come from and which names are never mounted.
 *
 * @param blockedPatterns the file's own patterns; {@link #effectivePatterns()} adds the defaults
 */
public record MountAllowlist(List<AllowedRoot> roots, List<String> blockedPatterns) {
    /** Always blocked, whatever the file says: the usual homes of keys, tokens and cloud credentials. */
    public static final List<String> DEFAULT_BLOCKED_PATTERNS = List.of(".ssh", ".gnupg", ".gpg", ".aws", ".azure",
            ".gcloud", ".kube", ".docker", "credentials", ".env", ".netrc", ".npmrc", ".pypirc", "id_rsa",
            "id_ed25519", "private_key", ".secret");

    public MountAllowlist {
        roots = List.copyOf(roots);
        blockedPatterns = List.copyOf(blockedPatterns);
    }

    /** The defaults followed by the file's patterns, without repeats. */
    public List<String> effectivePatterns() {
        LinkedHashSet<String> all = new LinkedHashSet<>(DEFAULT_BLOCKED_PATTERNS);
        all.addAll(blockedPatterns);
        return new ArrayList<>(all);
    }
}
