package io.orderwatch.store;

import io.orderwatch.alert.Alert;
import io.orderwatch.alert.AlertState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Alerts counted by the database per hour and kind, laid out in the team's zone; the same on H2 and PostgreSQL. */
class AlertLoadTest {

    private static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");

    @ParameterizedTest
    @MethodSource("io.orderwatch.store.TestDatabases#kinds")
    void countsByWeekdayAndHourAndByDayInTheTeamsZone(String kind) {
        try (Database db = TestDatabases.open(kind)) {
            AlertStore store = new AlertStore(db.dialect());
            db.inTransaction(c -> {
                // Sunday 22.11.2026 21:30 UTC is Monday 00:30 in Moscow
                save(c, store, "EXPORT_FAILED:1", "EXPORT_FAILED", "2026-11-22T21:30:00Z", AlertState.FIRING);
                save(c, store, "EXPORT_FAILED:2", "EXPORT_FAILED", "2026-11-22T21:59:59Z", AlertState.RESOLVED);
                save(c, store, "STUCK_ORDER:3", "STUCK_ORDER", "2026-11-23T00:40:00+03:00", AlertState.FIRING);
                // Wednesday 25.11 14:05 Moscow
                save(c, store, "STUCK_ORDER:4", "STUCK_ORDER", "2026-11-25T14:05:00+03:00", AlertState.FIRING);
                // before the period, and at its end (excluded)
                save(c, store, "STUCK_ORDER:5", "STUCK_ORDER", "2026-11-01T10:00:00+03:00", AlertState.FIRING);
                save(c, store, "STUCK_ORDER:6", "STUCK_ORDER", "2026-11-29T00:00:00+03:00", AlertState.FIRING);
                return null;
            });
            OffsetDateTime from = OffsetDateTime.parse("2026-11-22T00:00:00+03:00");
            OffsetDateTime to = OffsetDateTime.parse("2026-11-29T00:00:00+03:00");
            AlertLoad.Load load = db.read(c -> new AlertLoad().load(c, from, to, MOSCOW));

            assertEquals(4, load.total());
            assertEquals(3, load.byWeekdayHour()[0][0], "Monday 00:00-01:00 in Moscow, two of them Sunday evening in UTC");
            assertEquals(1, load.byWeekdayHour()[2][14], "Wednesday 14:00");
            assertEquals(0, load.byWeekdayHour()[6][0], "nothing on Sunday");
            assertEquals(Map.of("EXPORT_FAILED", 2L, "STUCK_ORDER", 2L), load.byKind());
            assertEquals(Map.of("EXPORT_FAILED", 2L, "STUCK_ORDER", 1L), load.byDay().get(LocalDate.parse("2026-11-23")));
            assertEquals(Map.of(), load.byDay().get(LocalDate.parse("2026-11-22")), "every day of the period is listed, empty ones too");
            assertEquals(LocalDate.parse("2026-11-22"), load.byDay().keySet().iterator().next());
        }
    }

    private static void save(java.sql.Connection c, AlertStore store, String fp, String kind, String firstSeen, AlertState state)
            throws java.sql.SQLException {
        OffsetDateTime t = OffsetDateTime.parse(firstSeen);
        Alert a = new Alert(fp, kind, state, false, fp.substring(fp.indexOf(':') + 1), "st-1", "ch-a", "Москва", t.minusHours(1), t, t,
                state == AlertState.RESOLVED ? t.plusMinutes(5) : null, Map.of());
        store.save(c, new StoredAlert(a, 1, t));
    }
}
