package io.orderwatch.source;

import io.orderwatch.model.Order;
import io.orderwatch.model.OrderItem;
import io.orderwatch.model.Store;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Optional;

/**
 * The checks a parsed record must pass beyond what the JSON mapping enforces (types, enum values, time
 * formats): the fields that detection cannot do without. Returns the reason, naming the field.
 */
public final class RecordValidator {

    /** The longest id orderwatch stores (order, pharmacy, chain, order line): the database columns' width. */
    public static final int MAX_ID = 64;
    /** The longest region name stored. */
    public static final int MAX_REGION = 200;

    private RecordValidator() {}

    /** "storeId: longer than 64 characters", or empty. */
    public static Optional<String> tooLong(String field, String value, int max) {
        return value != null && value.length() > max
                ? Optional.of(field + ": longer than " + max + " characters")
                : Optional.empty();
    }

    public static Optional<String> problem(Order o) {
        if (blank(o.id())) {
            return Optional.of("id: missing");
        }
        if (o.createdAt() == null) {
            return Optional.of("createdAt: missing");
        }
        if (o.updatedAt() == null) {
            return Optional.of("updatedAt: missing");
        }
        if (o.status() == null) {
            return Optional.of("status: missing");
        }
        if (o.statusChangedAt() == null) {
            return Optional.of("statusChangedAt: missing");
        }
        if (o.deliveryType() == null) {
            return Optional.of("deliveryType: missing");
        }
        if (blank(o.storeId())) {
            return Optional.of("storeId: missing");
        }
        if (o.id().length() > MAX_ID) {
            return tooLong("id", o.id(), MAX_ID);
        }
        if (o.storeId().length() > MAX_ID) {
            return tooLong("storeId", o.storeId(), MAX_ID);
        }
        if (o.region() != null && o.region().length() > MAX_REGION) {
            return tooLong("region", o.region(), MAX_REGION);
        }
        for (int i = 0; i < o.items().size(); i++) {
            OrderItem item = o.items().get(i);
            if (item == null) {
                return Optional.of("items[" + i + "]: null");
            }
            if (blank(item.lineId())) {
                return Optional.of("items[" + i + "].lineId: missing");
            }
            if (item.lineId().length() > MAX_ID) {
                return tooLong("items[" + i + "].lineId", item.lineId(), MAX_ID);
            }
        }
        return Optional.empty();
    }

    public static Optional<String> problem(Store s) {
        if (blank(s.id())) {
            return Optional.of("id: missing");
        }
        if (s.status() == null) {
            return Optional.of("status: missing");
        }
        Optional<String> tooLong = tooLong("id", s.id(), MAX_ID)
                .or(() -> tooLong("chainId", s.chainId(), MAX_ID))
                .or(() -> tooLong("region", s.region(), MAX_REGION));
        if (tooLong.isPresent()) {
            return tooLong;
        }
        if (s.updatedAt() == null) {
            return Optional.of("updatedAt: missing");
        }
        if (blank(s.timezone())) {
            return Optional.of("timezone: missing");
        }
        try {
            ZoneId.of(s.timezone());
        } catch (DateTimeException e) {
            return Optional.of("timezone: not an IANA zone \"" + s.timezone() + "\"");
        }
        return Optional.empty();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
