package io.orderwatch.alert;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Mutes alerts by kind, pharmacy, chain or order until a time (every matcher given must match). A muted
 * alert is still recorded and listed, only not delivered.
 */
public record Silence(String id, Map<String, String> matchers, OffsetDateTime until, String comment, String createdBy,
                      OffsetDateTime createdAt, String origin) {

    public static final Set<String> MATCHER_KEYS = Set.of("kind", "storeId", "chainId", "orderId");

    public Silence {
        matchers = Map.copyOf(new LinkedHashMap<>(matchers));
    }

    public boolean activeAt(Instant at) {
        return until.toInstant().isAfter(at);
    }

    public boolean matches(String kind, String storeId, String chainId, String orderId) {
        return same("kind", kind) && same("storeId", storeId) && same("chainId", chainId) && same("orderId", orderId);
    }

    private boolean same(String key, String value) {
        String want = matchers.get(key);
        return want == null || want.equals(value);
    }
}
