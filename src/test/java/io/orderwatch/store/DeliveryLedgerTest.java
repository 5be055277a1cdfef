package io.orderwatch.store;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DeliveryLedger.enqueueAll writes what enqueue one at a time would, on H2 and PostgreSQL. */
class DeliveryLedgerTest {

    private static final OffsetDateTime T0 = OffsetDateTime.parse("2026-12-03T09:00:00Z");
    private final DeliveryLedger ledger = new DeliveryLedger();

    private static Delivery.New ticket(String key, String... fingerprints) {
        List<Delivery.AlertRef> refs = new ArrayList<>();
        for (String fp : fingerprints) {
            refs.add(new Delivery.AlertRef(fp, "order-" + fp));
        }
        return new Delivery.New("tickets", "outbox", "outbox", "ticket", key, key, null, T0, refs);
    }

    @ParameterizedTest
    @MethodSource("io.orderwatch.store.TestDatabases#kinds")
    void enqueueAllWritesEachNewKeyOnceAndReturnsTheExistingIdOfAKnownOne(String kind) {
        try (Database db = TestDatabases.open(kind)) {
            long known = db.inTransaction(c -> ledger.enqueue(c, ticket("ticket:A", "A"), T0));
            List<Long> ids = db.inTransaction(c -> ledger.enqueueAll(c, List.of(ticket("ticket:B", "B", "B", "B2"), ticket("ticket:A", "A", "A-more"),
                    ticket("ticket:C", "C"), ticket("ticket:B", "B-more")), T0.plusMinutes(1)));
            assertEquals(4, ids.size());
            assertEquals(known, ids.get(1), "a known key keeps its delivery");
            assertEquals(ids.get(0), ids.get(3), "the same key twice in the list is one delivery");
            assertEquals(3, new HashSet<>(ids).size());
            assertTrue(ids.get(0) > known && ids.get(2) > ids.get(0), "ids follow the order the deliveries were written in");
            db.read(c -> {
                assertEquals(List.of(new Delivery.AlertRef("A", "order-A")), ledger.alertsOf(c, known), "a known delivery's alerts are left as they are");
                assertEquals(List.of(new Delivery.AlertRef("B", "order-B"), new Delivery.AlertRef("B2", "order-B2")), ledger.alertsOf(c, ids.get(0)));
                assertEquals(List.of(new Delivery.AlertRef("C", "order-C")), ledger.alertsOf(c, ids.get(2)));
                Delivery c1 = ledger.get(c, ids.get(2)).orElseThrow();
                assertEquals("ticket:C", c1.dedupKey());
                assertEquals(Delivery.PENDING, c1.state());
                assertEquals(T0.toInstant(), c1.nextAttemptAt().toInstant());
                assertEquals(T0.plusMinutes(1).toInstant(), c1.createdAt().toInstant());
                assertEquals(ids.get(0), ledger.idOf(c, "tickets", "ticket:B").orElseThrow());
                return null;
            });
            assertEquals(List.of(), db.inTransaction(c -> ledger.enqueueAll(c, List.of(), T0)));
            assertEquals(List.of(ids.get(2), ids.get(0)), db.inTransaction(c -> ledger.enqueueAll(c, List.of(ticket("ticket:C"), ticket("ticket:B")), T0)),
                    "enqueued again: the same deliveries");
        }
    }
}
