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

    /** A clock the test moves. */
    static final class MovingClock extends Clock {
        Instant now;

        MovingClock(Instant now) {
            this.now = now;
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

    /**
     * Applying silences on schedule: a tick with unchanged silences neither reads nor locks old FIRING
     * alerts (one held locked by another transaction does not stop it); a change of the silences in force
     * re-checks every alert; an alert written meanwhile by an instance with a stale silences cache is
     * corrected on the next tick; a silence that ends unmutes again.
     */
    @ParameterizedTest
    @MethodSource("io.orderwatch.store.TestDatabases#kinds")
    void silencesAreAppliedWhenTheyChangeAndOtherwiseOnlyToRecentChanges(String kind) throws Exception {
        try (Database db = TestDatabases.open(kind)) {
            MovingClock clock = new MovingClock(NOW);
            AlertStore store = new AlertStore(db.dialect());
            io.orderwatch.store.SilenceStore silenceStore = new io.orderwatch.store.SilenceStore(db);
            Silences here = new Silences(silenceStore);
            Silences elsewhere = new Silences(silenceStore); // another instance's cache, reloaded on its own schedule
            AlertBook book = new AlertBook(db, store, here, clock);
            AlertBook otherInstance = new AlertBook(db, store, elsewhere, clock);

            book.reconcile(Scope.raiseOnly(), List.of(finding("1")));
            clock.now = NOW.plus(Duration.ofMinutes(2));
            assertEquals(List.of(), book.applySilences(), "the first pass checks everything, nothing is silenced");

            clock.now = clock.now.plusSeconds(15);
            try (java.sql.Connection holder = db.dataSource().getConnection()) {
                holder.setAutoCommit(false);
                store.lock(holder, List.of("STUCK_ORDER:1")); // another transaction holds the old alert
                List<AlertEvent> quiet = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(5),
                        book::applySilences, "a quiet tick must not wait for the lock of an old alert");
                assertEquals(List.of(), quiet);
                holder.rollback();
            }

            // a silence for pharmacy st-1 until 10 minutes from now: the changed set re-checks every alert
            silenceStore.save(new Silence("s-1", Map.of("storeId", "st-1"), clock.now.plus(Duration.ofMinutes(10)).atOffset(ZoneOffset.UTC),
                    "ремонт", "test", clock.now.atOffset(ZoneOffset.UTC), "api"));
            here.reload();
            clock.now = clock.now.plusSeconds(15);
            List<AlertEvent> muted = book.applySilences();
            assertEquals(1, muted.size());
            assertTrue(muted.get(0).alert().muted());

            // the other instance has not reloaded yet: it raises a new alert unmuted
            otherInstance.reconcile(Scope.raiseOnly(), List.of(finding("2")));
            assertEquals(false, alert(db, store, "STUCK_ORDER:2").muted());
            clock.now = clock.now.plusSeconds(15);
            here.reload();
            List<AlertEvent> corrected = book.applySilences();
            assertEquals(List.of("STUCK_ORDER:2"), corrected.stream().map(e -> e.alert().fingerprint()).toList());
            assertTrue(alert(db, store, "STUCK_ORDER:2").muted());
            assertEquals(List.of(), book.applySilences(), "nothing changed since");

            // the silence ends: both are delivered again
            clock.now = clock.now.plus(Duration.ofMinutes(11));
            here.reload();
            List<AlertEvent> unmuted = book.applySilences();
            assertEquals(2, unmuted.size());
            assertTrue(unmuted.stream().noneMatch(e -> e.alert().muted()));
        }
    }

    private static Finding finding(String orderId) {
        return new Finding(AlertKind.STUCK_ORDER, orderId, orderId, "st-1", "ch-1", "Москва",
                OffsetDateTime.parse("2026-11-22T08:00:00+03:00"), Map.of("status", "NEW"));
    }

    private static Alert alert(Database db, AlertStore store, String fingerprint) {
        return db.inTransaction(c -> store.lock(c, List.of(fingerprint)).get(fingerprint).alert());
    }
}
