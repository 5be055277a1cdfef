package io.orderwatch.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The bearer token that orderwatch's intake and API require. Empty only in demo mode (start-up refuses
 * to run without one otherwise). Compared in constant time.
 */
public final class ApiAuth {

    private final byte[] expected;

    public ApiAuth(String token) {
        this.expected = token == null || token.isBlank() ? null : ("Bearer " + token.trim()).getBytes(StandardCharsets.UTF_8);
    }

    public boolean allows(String authorizationHeader) {
        if (expected == null) {
            return true;
        }
        if (authorizationHeader == null) {
            return false;
        }
        return MessageDigest.isEqual(expected, authorizationHeader.trim().getBytes(StandardCharsets.UTF_8));
    }
}
