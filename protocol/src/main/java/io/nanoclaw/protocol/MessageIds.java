package io.nanoclaw.protocol;

import java.security.SecureRandom;

/** Row ids of the shape {@code <prefix>-<epochMs>-<6 base36 chars>}. */
public final class MessageIds {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

    private MessageIds() {}

    public static String next(String prefix) {
        char[] r = new char[6];
        for (int i = 0; i < r.length; i++) {
            r[i] = BASE36[RANDOM.nextInt(BASE36.length)];
        }
        return prefix + "-" + System.currentTimeMillis() + "-" + new String(r);
    }
}
