package io.orderwatch.bench;

import io.orderwatch.alert.AlertBook;
import io.orderwatch.alert.MuteCheck;
import io.orderwatch.app.TestApp;
import io.orderwatch.model.Order;
import io.orderwatch.model.Store;
import io.orderwatch.notify.tickets.OutboxHelpdesk;
import io.orderwatch.notify.tickets.TicketSettings;
import io.orderwatch.notify.tickets.TicketSink;
import io.orderwatch.store.AlertStore;
import io.orderwatch.store.Database;
import io.orderwatch.store.DeliveryLedger;
import io.orderwatch.store.OrderSnapshots;
import io.orderwatch.store.SinkAlerts;
import io.orderwatch.store.StoreDirectory;
import io.orderwatch.store.TestDatabases;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Escalation in pages (TicketSink.escalateDue, several watches to a transaction), with the benchmark's
 * alerts but few of them: two instances escalating the same backlog at once, then a restarted one, open
 * exactly one ticket per due alert; one whose pharmacy is not known yet raises TICKET_INCOMPLETE and is
 * opened (the alarm resolved) once the pharmacy is there. A regular test (not tagged bench): it lives here for the
 * benchmark's generators.
 */
class EscalationPagesTest {

    @ParameterizedTest
    @MethodSource("io.orderwatch.store.TestDatabases#kinds")
    void twoInstancesAndARestartOpenExactlyOneTicketPerDueAlert(String kind, @TempDir Path tmp) throws Exception {
        int alerts = 600; // more than one run (500), several pages
        Instant start = Instant.parse("2026-12-03T09:00:00Z");
        Clock before = Clock.fixed(start, ZoneOffset.UTC);
        Clock after = Clock.fixed(start.plus(Duration.ofHours(2)), ZoneOffset.UTC);
        try (Database db = TestDatabases.open(kind)) {
            OffsetDateTime seen = OffsetDateTime.ofInstant(start, ZoneOffset.UTC).minusDays(1);
            Map<String, Store> stores = DetectionBenchmark.stores();
            StoreDirectory directory = new StoreDirectory(db);
            OrderSnapshots snapshots = new OrderSnapshots(db.dialect());
            OffsetDateTime started = OffsetDateTime.ofInstant(start, ZoneOffset.UTC).minusMinutes(10);
            List<Order> orders = EscalationBenchmark.orders(0, alerts, started);
            String unknown = orders.get(0).storeId(); // its pharmacy's address is missing: no ticket until it is known
            db.inTransaction(c -> {
                for (Store st : stores.values()) {
                    if (!st.id().equals(unknown)) {
                        directory.save(c, known(st, seen));
                    }
                }
                for (Order o : orders) {
                    snapshots.save(c, o, started);
                }
                return null;
            });
            List<String> events = new ArrayList<>();
            for (Order o : orders) {
                events.add(EscalationBenchmark.event(o, stores.get(o.storeId()), started));
            }
            assertEquals(alerts, sink(db, tmp, before).acceptAll(events));
            assertEquals(alerts, TestApp.count(db, "SELECT COUNT(*) FROM ticket_watch WHERE state = 'WAITING'"));

            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<Integer>> runs = new ArrayList<>();
                for (int instance = 0; instance < 2; instance++) {
                    TicketSink sink = sink(db, tmp, after);
                    runs.add(pool.submit(() -> {
                        int looked = 0;
                        for (int i = 0; i < 3; i++) {
                            looked += sink.escalateDue();
                        }
                        return looked;
                    }));
                }
                for (Future<Integer> run : runs) {
                    run.get();
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(1, sink(db, tmp, after).escalateDue(), "after a restart only the incomplete one is due");
            assertEquals(alerts - 1, TestApp.count(db, "SELECT COUNT(*) FROM ticket_watch WHERE state = 'OPENED'"));
            assertEquals(1, TestApp.count(db, "SELECT COUNT(*) FROM ticket_watch WHERE state = 'INCOMPLETE'"));
            assertEquals(1, TestApp.count(db, "SELECT COUNT(*) FROM alert WHERE kind = 'TICKET_INCOMPLETE' AND state = 'FIRING'"));

            db.inTransaction(c -> {
                directory.save(c, known(stores.get(unknown), seen));
                return null;
            });
            assertEquals(1, sink(db, tmp, after).escalateDue());
            assertEquals(0, sink(db, tmp, after).escalateDue());
            assertEquals(0, TestApp.count(db, "SELECT COUNT(*) FROM alert WHERE kind = 'TICKET_INCOMPLETE' AND state = 'FIRING'"));
            assertEquals(1, TestApp.count(db, "SELECT COUNT(*) FROM alert WHERE kind = 'TICKET_INCOMPLETE' AND state = 'RESOLVED'"));
            assertEquals(alerts, TestApp.count(db, "SELECT COUNT(*) FROM ticket_watch WHERE state = 'OPENED' AND delivery_id IS NOT NULL"));
            assertEquals(alerts, TestApp.count(db, "SELECT COUNT(*) FROM delivery WHERE sink = 'tickets' AND operation = 'ticket'"));
            assertEquals(alerts, TestApp.count(db, "SELECT COUNT(DISTINCT subject) FROM delivery WHERE sink = 'tickets' AND operation = 'ticket'"));
            assertEquals(alerts, TestApp.count(db, "SELECT COUNT(*) FROM ticket_watch w JOIN delivery d ON d.id = w.delivery_id "
                    + "AND d.subject = w.fingerprint"));
        }
    }

    private static Store known(Store st, OffsetDateTime seen) {
        return new Store(st.id(), st.name(), st.chainId(), st.chainName(), st.address(), st.city(), st.region(),
                st.timezone(), st.openingHours(), st.phone(), st.lat(), st.lon(), st.status(), seen, seen);
    }

    private static TicketSink sink(Database db, Path tmp, Clock clock) throws Exception {
        AlertBook book = new AlertBook(db, new AlertStore(db.dialect()), MuteCheck.NONE, clock);
        TicketSettings settings = TicketSettings.from(EscalationBenchmark.config(), Path.of("config", "templates", "tickets"));
        return new TicketSink(db, new SinkAlerts(db, TicketSink.SINK), new DeliveryLedger(), book, settings, new OutboxHelpdesk(tmp.resolve("outbox")),
                (id, at) -> Optional.of("EXPORTED"), ZoneId.of("Europe/Moscow"), "https://arm.example.org", clock);
    }
}
