package io.nanoclaw.host.channels;

import java.io.IOException;

/**
 * The platform could not be reached or answered 5xx: an outage, not a refusal. Delivery keeps retrying such rows
 * with a growing backoff for much longer than a refusal (a home server's uplink can be down for minutes).
 */
public class PlatformUnavailableException extends IOException {
    public PlatformUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
