package io.orderwatch.detect;

import io.orderwatch.alert.AlertKind;
import io.orderwatch.alert.Finding;
import io.orderwatch.source.CityName;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CITY_REQUEST: customers asked for a city the marketplace does not serve yet. One alert per city
 * (normalised name), counting requests and keeping the contacts of those who left one, so the team
 * knows whom to tell when the city is connected.
 */
public final class CityRequests {

    /**
     * Bounds of one CITY_REQUEST alert, whose details grow with every request for its city: at most
     * this many contacts (the first ones given) and this many distinct spellings of the city (the
     * first ones typed); beyond them only the count grows. The alert stays a few hundred kilobytes at
     * most however long the city is asked for.
     */
    static final int MAX_CONTACTS = 1000;
    static final int MAX_SPELLINGS = 20;

    private CityRequests() {}

    /**
     * Merges one request into what is known of that city.
     *
     * @param known    the city's current details, or null for its first request
     * @param contact  {@code {"email": ..., "phone": ...}} or null
     */
    @SuppressWarnings("unchecked")
    public static Finding merge(String query, String platform, Map<String, Object> contact, OffsetDateTime at,
                                Map<String, Object> known, OffsetDateTime firstAt) {
        String key = CityName.normalise(query);
        Map<String, Object> d = new LinkedHashMap<>();
        long count = 1;
        Set<String> queries = new LinkedHashSet<>();
        Map<String, Object> platforms = new LinkedHashMap<>();
        List<Map<String, Object>> contacts = new ArrayList<>();
        if (known != null) {
            count = ((Number) known.getOrDefault("count", 0)).longValue() + 1;
            queries.addAll((List<String>) known.getOrDefault("queries", List.of()));
            platforms.putAll((Map<String, Object>) known.getOrDefault("platforms", Map.of()));
            contacts.addAll((List<Map<String, Object>>) known.getOrDefault("contacts", List.of()));
        }
        if (queries.size() < MAX_SPELLINGS) {
            queries.add(query.trim());
        }
        if (platform != null) {
            platforms.merge(platform, 1L, (a, b) -> ((Number) a).longValue() + 1);
        }
        if (contact != null && (contact.get("email") != null || contact.get("phone") != null)
                && contacts.size() < MAX_CONTACTS && !contacts.contains(contact)) {
            contacts.add(contact);
        }
        d.put("city", CityName.display(key));
        d.put("count", count);
        d.put("queries", List.copyOf(queries));
        d.put("platforms", platforms);
        d.put("contacts", contacts);
        d.put("lastRequestedAt", at.toString());
        return new Finding(AlertKind.CITY_REQUEST, key, null, null, null, null, firstAt == null ? at : firstAt, d);
    }
}
