package io.orderwatch.store;

import io.orderwatch.alert.AlertBook;
import io.orderwatch.alert.AlertEvent;
import io.orderwatch.alert.AlertKind;
import io.orderwatch.alert.AlertState;
import io.orderwatch.alert.Finding;
import io.orderwatch.alert.MuteCheck;
import io.orderwatch.alert.Scope;
import io.orderwatch.alert.Silence;
import io.orderwatch.model.OrderStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Retention deletes what has served its purpose, and nothing else, on H2 and PostgreSQL alike. */
class RetentionTest {

    private static final OffsetDateTime OLD = OffsetDateTime.parse("2026-01-10T09:00:00Z");
    /** Inside every default retention (the shortest is 7 days) at PURGE_AT. */
    private static final OffsetDateTime RECENT = OLD.plusDays(95);
    private static final OffsetDateTime PURGE_AT = OLD.plusDays(100);

    static final class MovingClock extends Clock {
        Instant now;

        MovingClock(OffsetDateTime now) {
            this.now = now.toInstant();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static Retention retention(Database db, int batchSize, int maxBatches, Clock clock) {
        return new Retention(db, Retention.RULES, rule -> io.orderwatch.detect.StuckLimits.parseDuration(rule.fallback(), rule.setting()),
                batchSize, maxBatches, clock);
    }

    @ParameterizedTest
    @MethodSource("io.orderwatch.store.TestDatabases#kinds")
    void deletesOnlyWhatIsOldAndDoneAndAnAlertThatFiresAgainNeverReusesAnEventId(String kind) {
        try (Database db = TestDatabases.open(kind)) {
            MovingClock clock = new MovingClock(OLD);
            AlertStore alerts = new AlertStore(db.dialect());
            AlertBook book = new AlertBook(db, alerts, MuteCheck.NONE, clock);
            // alert 1 fired and resolved long ago (versions 1 and 2, both published); alert 2 still fires
            book.reconcile(Scope.raiseOnly(), List.of(stuck("1"), stuck("2")));
            book.reconcile(Scope.order("1", Set.of(AlertKind.STUCK_ORDER)), List.of());
            db.inTransaction(c -> {
                for (AlertStore.PendingEvent e : alerts.pendingEvents(c, 10)) {
                    if (e.eventId().startsWith("STUCK_ORDER:1#")) {
                        alerts.markPublished(c, e.seq(), OLD);
                    }
                }
                return null;
            });

            SinkAlerts view = new SinkAlerts(db, "email");
            view.record(new AlertEvent("x", StoreRepositoriesTest.alert(AlertState.RESOLVED), OLD), 2, OLD); // STUCK_ORDER:100
            view.record(new AlertEvent("y", sinkAlert("200", AlertState.FIRING), OLD), 1, OLD);
            view.record(new AlertEvent("z", sinkAlert("300", AlertState.RESOLVED), OLD), 2, RECENT);

            ProcessedEvents processed = new ProcessedEvents();
            NotificationLog log = new NotificationLog(db);
            OrderSnapshots snapshots = new OrderSnapshots(db.dialect());
            db.inTransaction(c -> {
                processed.markNew(c, "e-old", "ORDER_CREATED", OLD);
                processed.markNew(c, "e-recent", "ORDER_CREATED", RECENT);
                log.record(c, "email", "stuck-digest:old", OLD, "sent", null);
                log.record(c, "email", "stuck-digest:recent", RECENT, "sent", null);
                snapshots.save(c, StoreRepositoriesTest.order("o-final-old", OrderStatus.COMPLETED, OLD), OLD);
                snapshots.save(c, StoreRepositoriesTest.order("o-open-old", OrderStatus.CONFIRMED, OLD), OLD);
                snapshots.save(c, StoreRepositoriesTest.order("o-final-recent", OrderStatus.CANCELLED, OLD), RECENT);
                return null;
            });
            Quarantine quarantine = new Quarantine(db);
            quarantine.add("orders", "q-old", "bad", "{\"id\":\"q-old\"}", OLD);
            quarantine.add("orders", "q-recent", "bad", "{\"id\":\"q-recent\"}", RECENT);
            SilenceStore silences = new SilenceStore(db);
            silences.save(new Silence("s-old", Map.of("kind", "STUCK_ORDER"), OLD.plusHours(1), null, null, OLD, "api"));
            silences.save(new Silence("s-recent", Map.of("kind", "STUCK_ORDER"), RECENT, null, null, OLD, "api"));

            clock.now = PURGE_AT.toInstant();
            Map<String, Integer> deleted = retention(db, 2, 100, clock).purge();
            assertEquals(Map.of("alert_event", 2, "processed_event", 1, "alert", 1, "sink_alert", 1, "notification_log", 1,
                    "quarantine", 1, "order_snapshot", 1, "silence", 1), deleted);

            assertEquals(List.of("STUCK_ORDER:2"), column(db, "SELECT fingerprint FROM alert"), "a FIRING alert stays");
            assertEquals(List.of("STUCK_ORDER:2#1:FIRING"), column(db, "SELECT event_id FROM alert_event"), "the firing alert's event, never published, stays");
            assertEquals(List.of("e-recent"), column(db, "SELECT event_id FROM processed_event"));
            assertEquals(List.of("STUCK_ORDER:200", "STUCK_ORDER:300"), column(db, "SELECT fingerprint FROM sink_alert ORDER BY fingerprint"));
            assertEquals(List.of("stuck-digest:recent"), column(db, "SELECT notification_key FROM notification_log"));
            assertEquals(List.of("q-recent"), column(db, "SELECT record_id FROM quarantine"));
            assertEquals(List.of("o-final-recent", "o-open-old"), column(db, "SELECT order_id FROM order_snapshot ORDER BY order_id"));
            assertEquals(List.of("s-recent"), column(db, "SELECT id FROM silence"));

            // the purged alert fires again: its versions go on above the deleted ones (1 and 2)
            List<AlertEvent> again = book.reconcile(Scope.raiseOnly(), List.of(stuck("1")));
            assertEquals("STUCK_ORDER:1#3:FIRING", again.get(0).eventId());
            assertEquals(Map.of(), retention(db, 2, 100, clock).purge(), "nothing more to delete");
        }
    }

    /** One run deletes at most batch size × batches per table; the rest waits for the next run. */
    @ParameterizedTest
    @MethodSource("io.orderwatch.store.TestDatabases#kinds")
    void oneRunIsBounded(String kind) {
        try (Database db = TestDatabases.open(kind)) {
            ProcessedEvents processed = new ProcessedEvents();
            db.inTransaction(c -> {
                for (int i = 0; i < 7; i++) {
                    processed.markNew(c, "e-" + i, "ORDER_CREATED", OLD.plusMinutes(i));
                }
                return null;
            });
            Clock clock = Clock.fixed(PURGE_AT.toInstant(), ZoneOffset.UTC);
            assertEquals(Map.of("processed_event", 4), retention(db, 2, 2, clock).purge());
            assertEquals(List.of("e-4", "e-5", "e-6"), column(db, "SELECT event_id FROM processed_event ORDER BY event_id"),
                    "the oldest go first");
            assertEquals(Map.of("processed_event", 3), retention(db, 2, 2, clock).purge());
            assertEquals(0L, count(db, "processed_event"));
        }
    }

    @ParameterizedTest
    @MethodSource("io.orderwatch.store.TestDatabases#kinds")
    void everyRuleNamesARealTableAndColumns(String kind) {
        try (Database db = TestDatabases.open(kind)) {
            for (Retention.Rule r : Retention.RULES) {
                // fails on a misspelt table, key or column
                db.read(c -> {
                    try (var st = c.createStatement()) {
                        st.executeQuery("SELECT " + String.join(", ", r.key()) + ", " + r.timeColumn() + " FROM " + r.table()
                                + " WHERE " + (r.condition() == null ? "1 = 1" : r.condition())).close();
                    }
                    return null;
                });
                assertTrue(r.setting().startsWith("orderwatch.retention."), r.setting());
            }
        }
    }

    private static Finding stuck(String orderId) {
        return new Finding(AlertKind.STUCK_ORDER, orderId, orderId, "st-1", "ch-1", "Москва", OLD, Map.of("status", "NEW"));
    }

    private static io.orderwatch.alert.Alert sinkAlert(String orderId, AlertState state) {
        return new io.orderwatch.alert.Alert("STUCK_ORDER:" + orderId, "STUCK_ORDER", state, false, orderId, "st-1", "ch-1", "Москва",
                OLD, OLD, OLD, state == AlertState.RESOLVED ? OLD : null, Map.of());
    }

    private static long count(Database db, String table) {
        return db.read(c -> {
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private static List<String> column(Database db, String sql) {
        return db.read(c -> {
            List<String> out = new java.util.ArrayList<>();
            try (var st = c.createStatement(); var rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }
}
