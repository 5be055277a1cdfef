package io.orderwatch.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderwatch.model.Json;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A position in the admin API's page order, (updatedAt, id), compared by instant then id. As a cursor
 * it is base64url of {@code {"u":"<updatedAt>","i":"<id>"}}: opaque to clients, readable when debugging.
 */
public record PageKey(OffsetDateTime updatedAt, String id) implements Comparable<PageKey> {

    private static final Comparator<PageKey> ORDER = Comparator
            .comparing((PageKey k) -> k.updatedAt().toInstant())
            .thenComparing(PageKey::id);

    public PageKey {
        if (updatedAt == null || id == null) {
            throw new IllegalArgumentException("a page key needs updatedAt and id");
        }
    }

    /** The smallest key at this instant: every item updated at or after it sorts after it. */
    static PageKey atOrAfter(OffsetDateTime updatedAt) {
        return new PageKey(updatedAt, "");
    }

    @Override
    public int compareTo(PageKey o) {
        return ORDER.compare(this, o);
    }

    public String toCursor() {
        Map<String, String> json = new LinkedHashMap<>();
        json.put("u", updatedAt.toString());
        json.put("i", id);
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.mapper().writeValueAsBytes(json));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @throws IllegalArgumentException when the cursor is not one this API handed out */
    public static PageKey fromCursor(String cursor) {
        try {
            byte[] raw = Base64.getUrlDecoder().decode(cursor.trim());
            JsonNode node = Json.mapper().readTree(new String(raw, StandardCharsets.UTF_8));
            if (node == null || !node.path("u").isTextual() || !node.path("i").isTextual()) {
                throw new IllegalArgumentException("cursor does not hold a position");
            }
            return new PageKey(OffsetDateTime.parse(node.get("u").asText()), node.get("i").asText());
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException("cursor is not one this API handed out", e);
        }
    }
}
