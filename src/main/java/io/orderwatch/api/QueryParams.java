package io.orderwatch.api;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The query parameters the list endpoints share (limit, since, a cursor of "time|key"), read the same
 * way everywhere; a bad one is a {@link Bad} whose message is the 400's error.
 */
final class QueryParams {

    static final int DEFAULT_LIMIT = 500;
    static final int MAX_LIMIT = 5000;

    private QueryParams() {}

    static final class Bad extends Exception {
        Bad(String message) {
            super(message, null, false, false);
        }
    }

    /** A parameter's first value, or null when absent or blank. */
    static String str(Map<String, Object> params, String key) {
        Object v = params.get(key);
        if (v instanceof List<?> list) {
            v = list.isEmpty() ? null : list.get(0);
        }
        return v == null || v.toString().isBlank() ? null : v.toString();
    }

    static int limit(Map<String, Object> params) throws Bad {
        String raw = str(params, "limit");
        if (raw == null) {
            return DEFAULT_LIMIT;
        }
        int limit;
        try {
            limit = Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new Bad("limit must be 1.." + MAX_LIMIT);
        }
        return limit;
    }

    static OffsetDateTime since(Map<String, Object> params) throws Bad {
        String raw = str(params, "since");
        if (raw == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(raw);
        } catch (DateTimeParseException e) {
            throw new Bad("since must be an ISO-8601 time with an offset");
        }
    }

    /** A page's position: the last item's time and key. */
    record Cursor(OffsetDateTime at, String key) {
        String encode() {
            return Base64.getUrlEncoder().withoutPadding().encodeToString((at + "|" + key).getBytes(StandardCharsets.UTF_8));
        }
    }

    static Cursor cursor(Map<String, Object> params) throws Bad {
        String raw = str(params, "cursor");
        if (raw == null) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(raw), StandardCharsets.UTF_8).split("\\|", 2);
            return new Cursor(OffsetDateTime.parse(parts[0]), parts[1]);
        } catch (RuntimeException e) {
            throw new Bad("bad cursor");
        }
    }
}
