package io.orderwatch.alert;

import java.time.OffsetDateTime;
import java.util.Map;

/**
 * What a detector reports: a condition that holds now for one subject. The alert book turns findings
 * into alerts; the same kind and subject always give the same fingerprint.
 *
 * @param kind      alert kind ({@link AlertKind})
 * @param subject   what the condition is about within the kind (an order id, "orderId:lineId", a city)
 * @param startedAt when the problem began according to the data, not when it was noticed
 * @param details   kind-specific facts, JSON-serialisable
 */
public record Finding(String kind, String subject, String orderId, String storeId, String chainId, String region,
                      OffsetDateTime startedAt, Map<String, Object> details) {

    public Finding {
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    public String fingerprint() {
        return fingerprint(kind, subject);
    }

    public static String fingerprint(String kind, String subject) {
        return kind + ":" + subject;
    }
}
