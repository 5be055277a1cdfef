package io.orderwatch.model;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpeningHoursTest {

    private static final ZoneId VLADIVOSTOK = ZoneId.of("Asia/Vladivostok");

    private static final OpeningHours WEEKDAYS_8_22 = OpeningHours.weekly(Map.of(
            "mon", "08:00-22:00", "tue", "08:00-22:00", "wed", "08:00-22:00", "thu", "08:00-22:00",
            "fri", "08:00-22:00", "sat", "09:00-21:00"));

    private static Instant local(String dateTime, ZoneId zone) {
        return ZonedDateTime.of(java.time.LocalDateTime.parse(dateTime), zone).toInstant();
    }

    @Test
    void nightInVladivostokDoesNotCount() {
        // placed at 22:00 on a Monday in Vladivostok; at 02:00 local no open time has passed
        Instant placed = local("2026-11-23T22:00", VLADIVOSTOK);
        assertEquals(Duration.ZERO, WEEKDAYS_8_22.openTimeBetween(placed, local("2026-11-24T02:00", VLADIVOSTOK), VLADIVOSTOK));
        assertEquals(Duration.ofMinutes(30), WEEKDAYS_8_22.openTimeBetween(placed, local("2026-11-24T08:30", VLADIVOSTOK), VLADIVOSTOK));
    }

    @Test
    void closedSundaySkipsTheWholeDay() {
        Instant sat2000 = local("2026-11-28T20:00", VLADIVOSTOK);
        Instant mon0900 = local("2026-11-30T09:00", VLADIVOSTOK);
        assertEquals(Duration.ofHours(2), WEEKDAYS_8_22.openTimeBetween(sat2000, mon0900, VLADIVOSTOK));
    }

    @Test
    void alwaysOpenCountsWallClock() {
        Instant from = Instant.parse("2026-11-22T00:00:00Z");
        assertEquals(Duration.ofHours(30), OpeningHours.alwaysOpen().openTimeBetween(from, from.plus(Duration.ofHours(30)), VLADIVOSTOK));
    }

    @Test
    void intervalPastMidnightCountsIntoNextDay() {
        OpeningHours night = OpeningHours.weekly(Map.of("mon", "20:00-02:00"));
        ZoneId msk = ZoneId.of("Europe/Moscow");
        assertEquals(Duration.ofHours(1), night.openTimeBetween(local("2026-11-24T00:00", msk), local("2026-11-24T01:00", msk), msk));
        assertTrue(night.isOpenAt(local("2026-11-24T01:30", msk), msk));
        assertFalse(night.isOpenAt(local("2026-11-24T02:30", msk), msk));
    }

    @Test
    void parsesContractJsonAndRejectsGarbage() throws Exception {
        JsonNode weekly = Json.mapper().readTree("{\"mon\":\"08:00-22:00\",\"sun\":null}");
        OpeningHours h = OpeningHours.fromJson(weekly);
        assertTrue(h.isOpenAt(local("2026-11-23T12:00", VLADIVOSTOK), VLADIVOSTOK));
        assertFalse(h.isOpenAt(local("2026-11-29T12:00", VLADIVOSTOK), VLADIVOSTOK));
        assertTrue(OpeningHours.fromJson(Json.mapper().readTree("\"24/7\"")).isAlwaysOpen());
        assertThrows(IllegalArgumentException.class, () -> OpeningHours.fromJson(Json.mapper().readTree("\"sometimes\"")));
        assertThrows(IllegalArgumentException.class, () -> OpeningHours.fromJson(Json.mapper().readTree("{\"mon\":\"8-22\"}")));
        assertEquals("\"24/7\"", Json.mapper().writeValueAsString(OpeningHours.alwaysOpen()));
        String round = Json.mapper().writeValueAsString(OpeningHours.fromJson(weekly));
        assertTrue(round.contains("\"mon\":\"08:00-22:00\"") && round.contains("\"sun\":null"), round);
    }

    @Test
    void dayArithmeticAtOneOffsetAgreesWithTheZoneRulesDayByDay() {
        // the fast path (one offset over the span) against the general path, on random spans and hours
        java.util.Random random = new java.util.Random(11);
        OpeningHours overnight = OpeningHours.weekly(Map.of("mon", "20:00-02:00", "wed", "00:00-24:00", "fri", "7:30-23:45", "sun", "10:00-10:01"));
        OpeningHours[] hours = {WEEKDAYS_8_22, overnight};
        String[] zones = {"Europe/Kaliningrad", "Europe/Moscow", "Asia/Yekaterinburg", "Asia/Vladivostok", "Asia/Kamchatka", "UTC"};
        Instant base = Instant.parse("2026-11-22T09:00:00Z");
        for (int i = 0; i < 20_000; i++) {
            ZoneId zone = ZoneId.of(zones[random.nextInt(zones.length)]);
            OpeningHours h = hours[random.nextInt(hours.length)];
            Instant from = base.plusSeconds(random.nextInt(30 * 86_400) - 15 * 86_400).plusNanos(random.nextInt(3) == 0 ? random.nextInt(1_000_000_000) : 0);
            Instant to = from.plusSeconds(random.nextInt(5 * 86_400)).plusNanos(random.nextInt(1_000_000_000));
            int offset = zone.getRules().getOffset(from).getTotalSeconds();
            assertEquals(h.openSecondsAcrossTransitions(from, to, zone), h.openSecondsAtOffset(from, to, offset),
                    () -> from + " .. " + to + " in " + zone + " for " + h);
        }
    }

    @Test
    void aZoneWithClockChangesTakesTheGeneralPath() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        // 2026-10-25: clocks go back at 03:00 local; that Sunday has 25 hours, and 08:00 is eight on the clock
        Instant from = local("2026-10-24T12:00", berlin);
        Instant to = local("2026-10-26T12:00", berlin);
        assertEquals(Duration.ofHours(25), OpeningHours.weekly(Map.of("sun", "00:00-24:00")).openTimeBetween(from, to, berlin));
        assertEquals(Duration.ofHours(12), OpeningHours.weekly(Map.of("sun", "08:00-20:00")).openTimeBetween(from, to, berlin));
        assertEquals(Duration.ofHours(3), OpeningHours.weekly(Map.of("sun", "08:00-20:00"))
                .openTimeBetween(from, local("2026-10-25T11:00", berlin), berlin));
    }
}
