package io.orderwatch.notify.email;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The team's shifts of seed 000 as config/application.properties has them, on fixed instants. */
class ShiftScheduleTest {

    private static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");
    private static final ZoneId YEKATERINBURG = ZoneId.of("Asia/Yekaterinburg"); // +05:00 all year, as Moscow is +03:00

    static ShiftSchedule seed() {
        Map<String, String> shifts = new LinkedHashMap<>();
        shifts.put("orderwatch.digest.shift.first", "Пн-Вт 09:00-16:00, Ср-Пт 09:00-15:00, Сб 11:00-19:00");
        shifts.put("orderwatch.digest.shift.middle", "Пн-Пт 12:00-20:00");
        shifts.put("orderwatch.digest.shift.second", "Пн-Вт 16:00-23:00, Ср-Пт 17:00-23:00, Вс 11:00-19:00");
        return ShiftSchedule.parse(shifts);
    }

    /** The hours (team time) a digest goes out on a day, and which of them is a catch-up. */
    private static List<String> digests(ShiftSchedule s, String date, ZoneId zone) {
        List<String> out = new ArrayList<>();
        ZonedDateTime day = ZonedDateTime.parse(date + "T00:00:00" + zone.getRules().getOffset(Instant.now()) + "[" + zone.getId() + "]");
        for (int h = 0; h < 24; h++) {
            Instant slot = day.plusHours(h).toInstant();
            if (s.digestDue(slot, zone)) {
                out.add((s.firstOfShift(slot, zone) ? "*" : "") + h);
            }
        }
        return out;
    }

    @Test
    void hourlyDuringShiftsAcrossAWeekendWithACatchUpAfterEachGap() {
        ShiftSchedule s = seed();
        // Friday 20.11.2026: 09–15 the first shift, 12–20 the middle one, 17–23 the second: covered 09..22
        assertEquals(List.of("*9", "10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20", "21", "22"),
                digests(s, "2026-11-20", MOSCOW));
        // Saturday and Sunday: one operator 11–19
        assertEquals(List.of("*11", "12", "13", "14", "15", "16", "17", "18"), digests(s, "2026-11-21", MOSCOW));
        assertEquals(List.of("*11", "12", "13", "14", "15", "16", "17", "18"), digests(s, "2026-11-22", MOSCOW));
        // Monday's first digest catches up on everything since Sunday 19:00
        Instant monday9 = Instant.parse("2026-11-23T06:00:00Z");
        assertTrue(s.firstOfShift(monday9, MOSCOW));
        assertEquals(Instant.parse("2026-11-22T16:00:00Z"), s.lastShiftEnd(monday9, MOSCOW), "Sunday 19:00 Moscow");
        // Saturday's catch-up covers Friday night from 23:00
        assertEquals(Instant.parse("2026-11-20T20:00:00Z"), s.lastShiftEnd(Instant.parse("2026-11-21T08:00:00Z"), MOSCOW));
        // within a shift, the shift's own start is not its end: the last end before it is found
        assertEquals(Instant.parse("2026-11-22T16:00:00Z"), s.lastShiftEnd(Instant.parse("2026-11-23T09:00:00Z"), MOSCOW));
        assertFalse(s.digestDue(Instant.parse("2026-11-23T20:00:00Z"), MOSCOW), "23:00: nobody on shift");
    }

    @Test
    void theTeamsZoneDecidesWhatTheHoursMean() {
        ShiftSchedule s = seed();
        Instant at = Instant.parse("2026-11-21T06:00:00Z"); // Saturday: 09:00 in Moscow, 11:00 in Yekaterinburg
        assertFalse(s.digestDue(at, MOSCOW));
        assertTrue(s.digestDue(at, YEKATERINBURG));
        assertTrue(s.firstOfShift(at, YEKATERINBURG));
        assertEquals(Instant.parse("2026-11-20T18:00:00Z"), s.lastShiftEnd(at, YEKATERINBURG), "Friday 23:00 in Yekaterinburg");
        assertEquals(List.of("*11", "12", "13", "14", "15", "16", "17", "18"), digests(s, "2026-11-21", YEKATERINBURG));
    }

    @Test
    void aBadShiftNamesTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ShiftSchedule.parse(Map.of("orderwatch.digest.shift.first", "Пн-Вт 9-16")));
        assertTrue(e.getMessage().startsWith("orderwatch.digest.shift.first must be like"), e.getMessage());
        assertEquals(2, ShiftSchedule.parse(Map.of("k", "Mon-Tue 09:00-16:00")).windows().size());
    }
}
