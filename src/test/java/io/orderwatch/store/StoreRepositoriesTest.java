package io.orderwatch.store;

import io.orderwatch.alert.Alert;
import io.orderwatch.alert.AlertEvent;
import io.orderwatch.alert.AlertState;
import io.orderwatch.model.DeliveryType;
import io.orderwatch.model.Order;
import io.orderwatch.model.OrderStatus;
import io.orderwatch.model.Store;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The repositories behave the same on H2 and PostgreSQL. */
class StoreRepositoriesTest {

    private static final OffsetDateTime T0 = OffsetDateTime.parse("2026-11-22T09:15:00+03:00");

    @ParameterizedTest
    @MethodSource("io.orderwatch.store.TestDatabases#kinds")
    void snapshotKeepsNewestVersionAndListsOpenOrders(String kind) {
        try (Database db = TestDatabases.open(kind)) {
            OrderSnapshots snapshots = new OrderSnapshots(db.dialect());
            Order v2 = order("100", OrderStatus.CONFIRMED, T0.plusMinutes(10));
            Order v1 = order("100", OrderStatus.EXPORTED, T0);
            Order done = order("200", OrderStatus.COMPLETED, T0);
            db.inTransaction(c -> {
                assertTrue(snapshots.save(c, v2, T0));
                assertFalse(snapshots.save(c, v1, T0), "an older version never overwrites a newer one");
                assertTrue(snapshots.save(c, done, T0));
                return null;
            });
            List<Order> open = new ArrayList<>();
            db.read(c -> {
                snapshots.forEachOpen(c, open::add);
                return null;
            });
            assertEquals(1, open.size());
            assertEquals(OrderStatus.CONFIRMED, open.get(0).status());
            assertEquals(T0.toInstant(), open.get(0).statusChangedAt().toInstant());
        }
    }

    @ParameterizedTest
    @MethodSource("io.orderwatch.store.TestDatabases#kinds")
    void anInstanceThatDoesNotPollSeesPharmaciesAnotherSavedAndOpenOrdersByPharmacy(String kind) {
        try (Database db = TestDatabases.open(kind)) {
            StoreDirectory poller = new StoreDirectory(db);
            StoreDirectory other = new StoreDirectory(db);
            Store v1 = store("st-1", io.orderwatch.model.StoreStatus.ACTIVE, T0);
            Store v2 = store("st-1", io.orderwatch.model.StoreStatus.DELETED, T0.plusMinutes(5));
            db.inTransaction(c -> poller.save(c, v1));
            assertTrue(other.find("st-1").isEmpty());
            assertEquals(1, other.refresh());
            assertEquals(0, other.refresh(), "nothing new, nothing replaced");
            db.inTransaction(c -> poller.save(c, v2));
            assertEquals(1, other.refresh());
            assertEquals(io.orderwatch.model.StoreStatus.DELETED, other.find("st-1").orElseThrow().status());

            OrderSnapshots snapshots = new OrderSnapshots(db.dialect());
            db.inTransaction(c -> {
                snapshots.save(c, order("100", OrderStatus.CONFIRMED, T0), T0);
                snapshots.save(c, order("200", OrderStatus.COMPLETED, T0), T0);
                return null;
            });
            List<String> ofStore = new ArrayList<>();
            db.read(c -> {
                snapshots.forEachOpenOfStore(c, "st-1", o -> ofStore.add(o.id()));
                snapshots.forEachOpenOfStore(c, "st-2", o -> ofStore.add(o.id()));
                return null;
            });
            assertEquals(List.of("100"), ofStore);
        }
    }

    private static Store store(String id, io.orderwatch.model.StoreStatus status, OffsetDateTime updatedAt) {
        return new Store(id, "Невис, Гатчина", "ch-nevis", "Невис", "Гатчина, ул. Соборная, 7", "Гатчина", "Ленинградская область",
                "Europe/Moscow", io.orderwatch.model.OpeningHours.weekly(java.util.Map.of("mon", "08:00-22:00")), "+78137112233",
                59.5, 30.1, status, T0, updatedAt);
    }

    @ParameterizedTest
    @MethodSource("io.orderwatch.store.TestDatabases#kinds")
    void watermarkOnlyMovesForward(String kind) {
        try (Database db = TestDatabases.open(kind)) {
            Watermarks w = new Watermarks(db);
            assertTrue(w.get("orders").isEmpty());
            w.advance("orders", T0, T0);
            w.advance("orders", T0.minusHours(1), T0);
            assertEquals(T0.toInstant(), w.get("orders").orElseThrow().toInstant());
            w.advance("orders", T0.plusSeconds(1), T0);
            assertEquals(T0.plusSeconds(1).toInstant(), w.get("orders").orElseThrow().toInstant());
        }
    }

    @ParameterizedTest
    @MethodSource("io.orderwatch.store.TestDatabases#kinds")
    void sinkViewIgnoresOlderVersionsAndLogRefusesRepeats(String kind) {
        try (Database db = TestDatabases.open(kind)) {
            SinkAlerts view = new SinkAlerts(db, "email");
            Alert firing = alert(AlertState.FIRING);
            Alert resolved = alert(AlertState.RESOLVED);
            assertTrue(view.record(new AlertEvent("a#1", firing, T0), 1, T0));
            assertTrue(view.record(new AlertEvent("a#2", resolved, T0), 2, T0));
            assertFalse(view.record(new AlertEvent("a#1", firing, T0), 1, T0), "a redelivered older event changes nothing");
            assertEquals(1, view.list("STUCK_ORDER", "RESOLVED").size());
            assertEquals(0, view.list("STUCK_ORDER", "FIRING").size());

            NotificationLog log = new NotificationLog(db);
            assertTrue((boolean) db.inTransaction(c -> log.record(c, "email", "stuck-digest:1", T0, "sent", null)));
            assertFalse((boolean) db.inTransaction(c -> log.record(c, "email", "stuck-digest:1", T0, "sent", null)));
            assertTrue(log.contains("email", "stuck-digest:1"));
            assertEquals(T0.toInstant(), log.lastSent("email", "stuck-digest:").orElseThrow().toInstant());
        }
    }

    /** The digest's "resolved since the last digest" is a read bounded by time in the database. */
    @ParameterizedTest
    @MethodSource("io.orderwatch.store.TestDatabases#kinds")
    void sinkViewCountsAlertsReceivedAfterATime(String kind) {
        try (Database db = TestDatabases.open(kind)) {
            SinkAlerts view = new SinkAlerts(db, "email");
            SinkAlerts other = new SinkAlerts(db, "slack");
            for (int i = 0; i < 5; i++) {
                Alert a = new Alert("STUCK_ORDER:" + i, "STUCK_ORDER", AlertState.RESOLVED, false, String.valueOf(i), "st-1", "ch-1",
                        "Москва", T0, T0, T0, T0, Map.of());
                view.record(new AlertEvent("e" + i, a, T0), 2, T0.plusMinutes(i));
                other.record(new AlertEvent("e" + i, a, T0), 2, T0.plusMinutes(i));
            }
            view.record(new AlertEvent("f", alert(AlertState.FIRING), T0), 1, T0.plusHours(1)); // STUCK_ORDER:100, firing
            assertEquals(5, receivedAfter(db, view, "STUCK_ORDER", "RESOLVED", T0.minusSeconds(1)));
            assertEquals(2, receivedAfter(db, view, "STUCK_ORDER", "RESOLVED", T0.plusMinutes(2)), "strictly after");
            assertEquals(0, receivedAfter(db, view, "STUCK_ORDER", "RESOLVED", T0.plusHours(1)));
            assertEquals(1, receivedAfter(db, view, "STUCK_ORDER", "FIRING", T0));
            assertEquals(0, receivedAfter(db, view, "EXPORT_FAILED", "RESOLVED", T0.minusSeconds(1)));
        }
    }

    private static int receivedAfter(Database db, SinkAlerts view, String kind, String state, OffsetDateTime after) {
        return db.read(c -> view.list(c, kind, state, after)).size();
    }

    /**
     * Re-evaluating open orders streams them: on PostgreSQL the walk runs inside a read transaction (the
     * only way the driver honours a fetch size), so while the first order is handled the rest are still on
     * the server and the session is "idle in transaction"; with auto-commit the whole result would have been
     * read first ("idle"). Afterwards the connection is in auto-commit mode again.
     */
    @ParameterizedTest
    @MethodSource("io.orderwatch.store.TestDatabases#kinds")
    void openOrdersAreStreamedInsideAReadTransaction(String kind) {
        try (Database db = TestDatabases.open(kind)) {
            OrderSnapshots snapshots = new OrderSnapshots(db.dialect());
            db.inTransaction(c -> {
                for (int i = 0; i < 1200; i++) {
                    snapshots.save(c, order(String.format("%05d", i), OrderStatus.CONFIRMED, T0), T0);
                }
                return null;
            });
            List<String> states = new ArrayList<>();
            int[] seen = {0};
            boolean autoCommitAfter = db.read(c -> {
                Integer pid = null;
                if (db.dialect() == Dialect.POSTGRES) {
                    try (var st = c.createStatement(); var rs = st.executeQuery("SELECT pg_backend_pid()")) {
                        rs.next();
                        pid = rs.getInt(1);
                    }
                }
                Integer backend = pid;
                snapshots.forEachOpen(c, o -> {
                    if (seen[0]++ == 0 && backend != null) {
                        states.add(db.read(other -> {
                            try (var ps = other.prepareStatement("SELECT state FROM pg_stat_activity WHERE pid = ?")) {
                                ps.setInt(1, backend);
                                try (var rs = ps.executeQuery()) {
                                    return rs.next() ? rs.getString(1) : "gone";
                                }
                            }
                        }));
                    }
                });
                return c.getAutoCommit();
            });
            assertEquals(1200, seen[0]);
            assertTrue(autoCommitAfter, "the pooled connection is handed back in auto-commit mode");
            if (db.dialect() == Dialect.POSTGRES) {
                assertEquals(List.of("idle in transaction"), states);
            }
        }
    }

    static Alert alert(AlertState state) {
        return new Alert("STUCK_ORDER:100", "STUCK_ORDER", state, false, "100", "st-1", "ch-1", "Москва",
                T0, T0, T0, state == AlertState.RESOLVED ? T0 : null, Map.of("status", "EXPORTED"));
    }

    static Order order(String id, OrderStatus status, OffsetDateTime updatedAt) {
        return new Order(id, null, "site", T0.minusHours(1), updatedAt, status, T0.withOffsetSameInstant(ZoneOffset.ofHours(3)),
                DeliveryType.PICKUP, null, "st-1", "Москва", "Москва", null, null, List.of(), null, null);
    }
}
