package io.orderwatch.detect;

import io.orderwatch.alert.Finding;
import io.orderwatch.source.CityName;
import io.orderwatch.store.JsonColumns;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** CITY_REQUEST: one city however it was typed, counted, with the contacts kept. */
class CityRequestsTest {

    private static final OffsetDateTime T0 = OffsetDateTime.parse("2026-11-22T09:20:05+03:00");

    @Test
    void caseYoSpacesAndHyphensDoNotMakeAnotherCity() {
        for (String q : List.of("Верхняя Пышма", "верхняя  пышма", " ВЕРХНЯЯ-ПЫШМА ", "Верхняя\u00A0Пышма", "верхняя – пышма", "верхняя_пышма")) {
            assertEquals("верхняя пышма", CityName.normalise(q), q);
        }
        assertEquals("королев", CityName.normalise("Королёв"));
        assertEquals(CityName.normalise("Ростов-на-Дону"), CityName.normalise("ростов на дону"));
        assertEquals("Ростов На Дону", CityName.display(CityName.normalise("Ростов-на-Дону")));
        assertEquals("", CityName.normalise(" - "));
    }

    @Test
    void requestsForOneCityAddUpAndKeepEachContactOnce() {
        Map<String, Object> anna = Map.of("email", "anna@example.org");
        Finding first = CityRequests.merge("Верхняя Пышма", "ios", anna, T0, null, null);
        assertEquals("CITY_REQUEST:верхняя пышма", first.fingerprint());
        assertEquals(T0, first.startedAt());
        assertEquals(1L, first.details().get("count"));
        assertEquals("Верхняя Пышма", first.details().get("city"));

        // what the alert book gives back is the JSON round trip of the details
        Map<String, Object> stored = JsonColumns.readMap(JsonColumns.write(first.details()));
        Finding second = CityRequests.merge("верхняя-пышма", "android", anna, T0.plusHours(1), stored, first.startedAt());
        stored = JsonColumns.readMap(JsonColumns.write(second.details()));
        Finding third = CityRequests.merge("Верхняя Пышма", "ios", Map.of("phone", "+79806561461"), T0.plusHours(2), stored, second.startedAt());
        stored = JsonColumns.readMap(JsonColumns.write(third.details()));
        Finding anonymous = CityRequests.merge("Верхняя Пышма", "site", null, T0.plusHours(3), stored, third.startedAt());

        assertEquals(first.fingerprint(), anonymous.fingerprint());
        assertEquals(T0, anonymous.startedAt(), "the city was first asked for then");
        assertEquals(4L, ((Number) anonymous.details().get("count")).longValue());
        assertEquals(List.of("Верхняя Пышма", "верхняя-пышма"), anonymous.details().get("queries"));
        assertEquals(List.of(Map.of("email", "anna@example.org"), Map.of("phone", "+79806561461")), anonymous.details().get("contacts"));
        Map<?, ?> platforms = (Map<?, ?>) anonymous.details().get("platforms");
        assertEquals(2L, ((Number) platforms.get("ios")).longValue());
        assertEquals(1L, ((Number) platforms.get("site")).longValue());
        assertEquals(T0.plusHours(3).toString(), anonymous.details().get("lastRequestedAt"));
    }

    @Test
    void aContactWithNeitherEmailNorPhoneIsNotKept() {
        Finding f = CityRequests.merge("Тверь", "site", Map.of("name", "Олег"), T0, null, null);
        assertEquals(List.of(), f.details().get("contacts"));
    }

    /** However often and however differently a city is asked for, its alert keeps a bounded number of spellings and contacts. */
    @Test
    void spellingsAndContactsStayBounded() {
        Map<String, Object> known = null;
        OffsetDateTime first = null;
        int requests = CityRequests.MAX_CONTACTS + 50;
        for (int i = 0; i < requests; i++) {
            // the same city (one normalised name), typed in ever new ways: case, spaces, hyphens
            String spelling = (i % 2 == 0 ? "Верхняя" : "верхняя") + " ".repeat(1 + i % 40) + "Пышма";
            Finding f = CityRequests.merge(spelling, "site", Map.of("email", "c" + i + "@example.org"), T0.plusMinutes(i), known, first);
            known = JsonColumns.readMap(JsonColumns.write(f.details()));
            first = f.startedAt();
        }
        assertEquals((long) requests, ((Number) known.get("count")).longValue());
        assertEquals(CityRequests.MAX_SPELLINGS, ((List<?>) known.get("queries")).size());
        assertEquals("Верхняя Пышма", ((List<?>) known.get("queries")).get(0), "the first spellings are the ones kept");
        assertEquals(CityRequests.MAX_CONTACTS, ((List<?>) known.get("contacts")).size());
    }
}
