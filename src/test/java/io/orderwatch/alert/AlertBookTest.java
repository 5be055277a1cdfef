package io.orderwatch.alert;

import io.orderwatch.store.AlertStore;
import io.orderwatch.store.Database;
import io.orderwatch.store.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Alert state over time, on H2 and PostgreSQL alike. */
class AlertBookTest {

    private static final Instant NOW = Instant.parse("2026-11-22T07:00:00Z");
    private static final Set<String> STUCK = Set.of(AlertKind.STUCK_ORDER);

    @ParameterizedTest
    @MethodSource("io.orderwatch.store.TestDatabases#kinds")
    void firesOnceRefreshesThenResolvesAndRefires(String kind) throws Exception {
        try (Database db = TestDatabases.open(kind)) {
            MutableClock clock = new MutableClock(NOW);
            AlertBook book = new AlertBook(db, new AlertStore(db.dialect()), MuteCheck.NONE, clock);
            Scope scope = Scope.order("100", STUCK);

            List<AlertEvent> first = book.reconcile(scope, List.of(stuck("100", "EXPORTED")));
            assertEquals(1, first.size());
            Alert a = first.get(0).alert();
            assertEquals(AlertState.FIRING, a.state());
            assertEquals("STUCK_ORDER:100", a.fingerprint());
            assertEquals("STUCK_ORDER:100#1:FIRING", first.get(0).eventId());

            clock.advance(Duration.ofMinutes(1));
            assertTrue(book.reconcile(scope, List.of(stuck("100", "EXPORTED"))).isEmpty(), "same condition: no new event");
            Alert seen = find(db, "STUCK_ORDER:100");
            assertEquals(NOW.plusSeconds(60), seen.lastSeenAt().toInstant());
            assertEquals(NOW, seen.firstSeenAt().toInstant());

            assertTrue(book.reconcile(scope, List.of(stuck("100", "CONFIRMED"))).isEmpty(), "changed details are not a state change");
            assertEquals("CONFIRMED", find(db, "STUCK_ORDER:100").details().get("status"));

            clock.advance(Duration.ofMinutes(1));
            List<AlertEvent> cleared = book.reconcile(scope, List.of());
            assertEquals(1, cleared.size());
            assertEquals(AlertState.RESOLVED, cleared.get(0).alert().state());
            assertEquals("STUCK_ORDER:100#2:RESOLVED", cleared.get(0).eventId());
            assertNotNull(cleared.get(0).alert().resolvedAt());
            assertTrue(book.reconcile(scope, List.of()).isEmpty(), "resolved stays resolved without a new event");

            List<AlertEvent> again = book.reconcile(scope, List.of(stuck("100", "CONFIRMED")));
            assertEquals("STUCK_ORDER:100#3:FIRING", again.get(0).eventId());
            assertNull(again.get(0).alert().resolvedAt());

            assertEquals(3, pending(db), "every state change is in the outbox once");
        }
    }

    @ParameterizedTest
    @MethodSource("io.orderwatch.store.TestDatabases#kinds")
    void scopeLimitsWhatResolves(String kind) {
        try (Database db = TestDatabases.open(kind)) {
            AlertBook book = new AlertBook(db, new AlertStore(db.dialect()), MuteCheck.NONE, Clock.fixed(NOW, ZoneOffset.UTC));
            book.reconcile(Scope.order("100", STUCK), List.of(stuck("100", "NEW")));
            book.reconcile(Scope.order("200", STUCK), List.of(stuck("200", "NEW")));
            assertTrue(book.reconcile(Scope.order("200", STUCK), List.of(stuck("200", "NEW"))).isEmpty());
            List<AlertEvent> events = book.reconcile(Scope.order("100", STUCK), List.of());
            assertEquals(1, events.size(), "only order 100's alert resolves");
            assertTrue(book.reconcile(Scope.raiseOnly(), List.of()).isEmpty(), "an empty raise-only scope resolves nothing");
            assertEquals(Set.of("STUCK_ORDER:200"), book.firing(STUCK));
        }
    }

    @ParameterizedTest
    @MethodSource("io.orderwatch.store.TestDatabases#kinds")
    void concurrentFindingsOfOneNewAlertFireItOnce(String kind) throws Exception {
        try (Database db = TestDatabases.open(kind)) {
            AlertBook book = new AlertBook(db, new AlertStore(db.dialect()), MuteCheck.NONE, Clock.fixed(NOW, ZoneOffset.UTC));
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<List<AlertEvent>>> results = new java.util.ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    results.add(pool.submit(() -> book.reconcile(Scope.raiseOnly(), List.of(stuck("300", "NEW")))));
                }
                int fired = 0;
                for (Future<List<AlertEvent>> r : results) {
                    fired += r.get().size();
                }
                assertEquals(1, fired, "a poll and an event racing on one new alert record it once");
                assertEquals(1, pending(db));
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.orderwatch.store.TestDatabases#kinds")
    void muteChangeIsAnEventSoSinksLearnIt(String kind) {
        try (Database db = TestDatabases.open(kind)) {
            boolean[] muted = {true};
            AlertBook book = new AlertBook(db, new AlertStore(db.dialect()), (f, at) -> muted[0], Clock.fixed(NOW, ZoneOffset.UTC));
            List<AlertEvent> fired = book.reconcile(Scope.order("100", STUCK), List.of(stuck("100", "NEW")));
            assertTrue(fired.get(0).alert().muted(), "a silenced alert is still recorded, marked muted");
            muted[0] = false;
            List<AlertEvent> unmuted = book.reconcile(Scope.order("100", STUCK), List.of(stuck("100", "NEW")));
            assertEquals(1, unmuted.size());
            assertEquals(AlertState.FIRING, unmuted.get(0).alert().state());
            assertTrue(!unmuted.get(0).alert().muted());
        }
    }

    private static Finding stuck(String orderId, String status) {
        return new Finding(AlertKind.STUCK_ORDER, orderId, orderId, "st-1", "ch-1", "Москва",
                OffsetDateTime.parse("2026-11-22T08:00:00+03:00"), Map.of("status", status, "limitMinutes", 60));
    }

    private static Alert find(Database db, String fp) {
        return db.read(c -> new AlertStore(db.dialect()).find(c, fp)).alert();
    }

    private static long pending(Database db) {
        return db.read(c -> new AlertStore(db.dialect()).countPending(c));
    }

    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
