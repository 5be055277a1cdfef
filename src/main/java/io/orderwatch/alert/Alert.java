package io.orderwatch.alert;

import java.time.OffsetDateTime;
import java.util.Map;

/** One alert in the alert book, exactly as orderwatch-api.md serves it. */
public record Alert(
        String fingerprint,
        String kind,
        AlertState state,
        boolean muted,
        String orderId,
        String storeId,
        String chainId,
        String region,
        OffsetDateTime startedAt,
        OffsetDateTime firstSeenAt,
        OffsetDateTime lastSeenAt,
        OffsetDateTime resolvedAt,
        Map<String, Object> details) {

    public Alert {
        details = details == null ? Map.of() : details;
    }
}
