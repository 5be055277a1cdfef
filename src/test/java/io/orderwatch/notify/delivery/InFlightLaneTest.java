package io.orderwatch.notify.delivery;

import io.orderwatch.alert.AlertBook;
import io.orderwatch.alert.MuteCheck;
import io.orderwatch.app.TestApp;
import io.orderwatch.observe.Metrics;
import io.orderwatch.store.AlertStore;
import io.orderwatch.store.Database;
import io.orderwatch.store.Delivery;
import io.orderwatch.store.DeliveryLedger;
import io.orderwatch.store.TestDatabases;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A lane allowing several calls in flight (the helpdesk): two instances dispatching the same lane of
 * one ledger never have more calls in flight between them than the lane allows, and every delivery is
 * sent exactly once.
 */
class InFlightLaneTest {

    private static final int DELIVERIES = 40;
    private static final int IN_FLIGHT = 3;

    @Test
    void twoInstancesShareTheLaneLimitAndSendEachDeliveryOnce() throws Exception {
        Database db = TestDatabases.open("h2");
        Clock clock = Clock.systemUTC();
        DeliveryLedger ledger = new DeliveryLedger();
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        db.inTransaction(c -> {
            for (int i = 0; i < DELIVERIES; i++) {
                ledger.enqueue(c, new Delivery.New("inflight", "helpdesk", "helpdesk", "ticket", "k" + i, "s" + i, null, now, List.of()), now);
            }
            return null;
        });
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        Map<Long, AtomicInteger> sends = new ConcurrentHashMap<>();
        DeliverySender sender = new DeliverySender() {
            @Override
            public String prepare(java.sql.Connection c, DeliveryLedger.Claim claim) {
                return "request";
            }

            @Override
            public Outcome send(DeliveryLedger.Claim claim, String request) {
                most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                try {
                    await().pollDelay(Duration.ofMillis(30)).until(() -> true); // a peer that takes a while
                    sends.computeIfAbsent(claim.delivery().id(), k -> new AtomicInteger()).incrementAndGet();
                    return new Outcome.Sent("t-" + claim.delivery().id());
                } finally {
                    inFlight.decrementAndGet();
                }
            }

            @Override
            public Duration pace(String lane) {
                return Duration.ZERO;
            }

            @Override
            public int inFlight(String lane) {
                return IN_FLIGHT;
            }
        };
        AlertBook book = new AlertBook(db, new AlertStore(db.dialect()), MuteCheck.NONE, clock);
        RetryPolicy retry = new RetryPolicy(Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofHours(24));
        try (DeliveryDispatcher a = new DeliveryDispatcher(db, ledger, retry, Duration.ofSeconds(30), new DeliveryFailedAlarm(book, clock),
                Metrics.inMemory(), clock);
             DeliveryDispatcher b = new DeliveryDispatcher(db, ledger, retry, Duration.ofSeconds(30), new DeliveryFailedAlarm(book, clock),
                     Metrics.inMemory(), clock)) {
            a.register("inflight", sender, IN_FLIGHT);
            b.register("inflight", sender, IN_FLIGHT);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
                a.dispatch();
                b.dispatch();
                return TestApp.count(db, "SELECT COUNT(*) FROM delivery WHERE sink = 'inflight' AND state = 'SENT'") == DELIVERIES;
            });
        }
        assertEquals(DELIVERIES, sends.size(), "every delivery sent");
        assertTrue(sends.values().stream().allMatch(n -> n.get() == 1), "none sent twice: " + sends);
        assertTrue(most.get() <= IN_FLIGHT, "at most " + IN_FLIGHT + " calls in flight across both instances, saw " + most.get());
        assertTrue(most.get() > 1, "the lane did use more than one call in flight");
    }
}
