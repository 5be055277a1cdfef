package io.orderwatch.source;

import com.sun.net.httpserver.HttpServer;
import io.orderwatch.alert.AlertBook;
import io.orderwatch.alert.AlertKind;
import io.orderwatch.alert.MuteCheck;
import io.orderwatch.app.TestApp;
import io.orderwatch.detect.DeletedStoreOrderDetector;
import io.orderwatch.detect.OrderEvaluator;
import io.orderwatch.detect.SourceDownDetector;
import io.orderwatch.observe.Metrics;
import io.orderwatch.store.AlertStore;
import io.orderwatch.store.Database;
import io.orderwatch.store.OrderSnapshots;
import io.orderwatch.store.Quarantine;
import io.orderwatch.store.SourceHealth;
import io.orderwatch.store.StoreDirectory;
import io.orderwatch.store.TestDatabases;
import io.orderwatch.store.Watermarks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pollers over a stub admin API and a real database: source-down state, quarantine, watermarks, new pharmacies. */
class AdminPollerTest {

    /** A clock the test moves by hand. */
    static final class MovableClock extends Clock {
        volatile Instant now = Instant.parse("2026-11-22T09:00:00Z");

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

    private final Map<String, String[]> answers = new ConcurrentHashMap<>(); // path -> {status, body}
    private HttpServer server;
    private Database db;
    private final MovableClock clock = new MovableClock();
    private AlertBook book;
    private AdminPoller poller;
    private Watermarks watermarks;
    private AdminApiClient client;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String[] a = answers.getOrDefault(ex.getRequestURI().getPath(), new String[] {"404", "{}"});
            byte[] b = a[1].getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(Integer.parseInt(a[0]), b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        db = TestDatabases.h2();
        book = new AlertBook(db, new AlertStore(db.dialect()), MuteCheck.NONE, clock);
        StoreDirectory stores = new StoreDirectory(db);
        OrderEvaluator evaluator = new OrderEvaluator(db, new OrderSnapshots(db.dialect()), stores, book,
                List.of(new DeletedStoreOrderDetector()), Metrics.inMemory(), clock);
        client = new AdminApiClient(new AdminApiSettings(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), null,
                Duration.ofSeconds(2), Duration.ofSeconds(2), 100, 1, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1)), d -> { });
        watermarks = new Watermarks(db);
        poller = poller(client, evaluator, stores);
        answers.put("/api/v1/stores", new String[] {"200", page(store("st-1", "ACTIVE"))});
        answers.put("/api/v1/orders", new String[] {"200", page()});
    }

    private AdminPoller poller(AdminApiClient client, OrderEvaluator evaluator, StoreDirectory stores) {
        return new AdminPoller(client, evaluator, stores, db, watermarks, new Quarantine(db), new SourceHealth(db), Metrics.inMemory(),
                Duration.ofMinutes(5), clock).withSourceDownAlarm(new SourceDownDetector(book, "admin-api"), Duration.ofMinutes(5));
    }

    @AfterEach
    void stop() {
        server.stop(0);
        db.close();
    }

    static String page(String... items) {
        return "{\"items\":[" + String.join(",", items) + "],\"nextCursor\":null}";
    }

    static String store(String id, String status) {
        return "{\"id\":\"" + id + "\",\"chainId\":\"ch-1\",\"name\":\"Аптека\",\"status\":\"" + status + "\",\"timezone\":\"Europe/Moscow\","
                + "\"statusChangedAt\":\"2026-11-20T12:00:00+03:00\",\"updatedAt\":\"2026-11-20T12:00:00+03:00\",\"openingHours\":\"24/7\"}";
    }

    static String order(String id, String storeId, String updatedAt, String status) {
        return "{\"id\":\"" + id + "\",\"createdAt\":\"2026-11-22T08:00:00+03:00\",\"updatedAt\":\"" + updatedAt + "\",\"status\":\"" + status
                + "\",\"statusChangedAt\":\"2026-11-22T08:00:00+03:00\",\"deliveryType\":\"PICKUP\",\"storeId\":\"" + storeId + "\","
                + "\"items\":[{\"lineId\":\"1\",\"quantity\":1,\"storeSku\":\"S\"}]}";
    }

    private Set<String> firing() {
        return book.firing(Set.of(AlertKind.SOURCE_DOWN, AlertKind.DELETED_STORE_ORDER));
    }

    @Test
    void ordersFailingWhileStoresAnswerIsStillDownAndOnlyEveryGoodSourceResolvesIt() {
        poller.pollStores();
        answers.put("/api/v1/orders", new String[] {"503", "down"});
        assertThrows(SourceUnavailableException.class, poller::pollOrders);
        assertTrue(poller.isDown());
        clock.now = clock.now.plus(Duration.ofMinutes(2));
        poller.pollStores(); // stores answer: the admin API is not up while orders fail
        assertTrue(poller.isDown());
        clock.now = clock.now.plus(Duration.ofMinutes(4));
        assertThrows(SourceUnavailableException.class, poller::pollOrders);
        assertEquals(Set.of("SOURCE_DOWN:admin-api"), firing(), "down for 6 minutes, counted from the first failure");
        answers.put("/api/v1/orders", new String[] {"200", page()});
        poller.pollOrders();
        assertFalse(poller.isDown());
        assertEquals(Set.of(), firing());
    }

    @Test
    void everyInstanceSeesTheSourceDownAndTheOutageCountsFromItsFirstFailureAcrossATakeOver() {
        answers.put("/api/v1/orders", new String[] {"503", "down"});
        assertThrows(SourceUnavailableException.class, poller::pollOrders);
        // a second instance on the same database: not polling, but re-evaluating open orders
        StoreDirectory stores = new StoreDirectory(db);
        OrderEvaluator evaluator = new OrderEvaluator(db, new OrderSnapshots(db.dialect()), stores, book, List.of(), Metrics.inMemory(), clock);
        AdminPoller other = poller(client, evaluator, stores);
        assertTrue(other.isDown(), "time-based detection waits on the other instance too");
        clock.now = clock.now.plus(Duration.ofMinutes(6));
        assertThrows(SourceUnavailableException.class, other::pollOrders); // it took over polling
        assertEquals(Set.of("SOURCE_DOWN:admin-api"), firing(), "six minutes since the first failure, on whichever instance");
    }

    @Test
    void aRateLimitStormEndsEachRunAtOnceHonoursRetryAfterAndRaisesSourceDownOnTime() {
        poller.pollStores();
        java.util.concurrent.atomic.AtomicInteger orderCalls = new java.util.concurrent.atomic.AtomicInteger();
        server.createContext("/api/v1/orders", ex -> {
            orderCalls.incrementAndGet();
            String[] a = answers.get("/api/v1/orders");
            byte[] b = a[1].getBytes(StandardCharsets.UTF_8);
            if (a[0].equals("429")) {
                ex.getResponseHeaders().set("Retry-After", "120");
            }
            ex.sendResponseHeaders(Integer.parseInt(a[0]), b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        java.util.List<Duration> waits = new java.util.concurrent.CopyOnWriteArrayList<>();
        AdminApiClient limited = new AdminApiClient(new AdminApiSettings(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), null,
                Duration.ofSeconds(2), Duration.ofSeconds(2), 100, 4, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMinutes(5)),
                waits::add, clock);
        StoreDirectory stores = new StoreDirectory(db);
        AdminPoller p = poller(limited, new OrderEvaluator(db, new OrderSnapshots(db.dialect()), stores, book, List.of(), Metrics.inMemory(), clock),
                stores);
        answers.put("/api/v1/orders", new String[] {"200", page(order("1", "st-1", "2026-11-22T09:00:00+03:00", "NEW"))});
        p.pollOrders();
        Instant watermark = watermarks.get(AdminPoller.ORDERS).orElseThrow().toInstant();
        int goodCalls = orderCalls.get();

        answers.put("/api/v1/orders", new String[] {"429", "{}"});
        Instant firstFailure = clock.now;
        for (int minute = 0; minute <= 6; minute++) {
            clock.now = firstFailure.plus(Duration.ofMinutes(minute));
            // every run ends at once: nothing waits on the scheduler's thread
            assertThrows(SourceRateLimitedException.class, p::pollOrders);
            assertEquals(List.of(), waits, "no wait inside a run");
            // Retry-After: 120 s, so the admin API is asked at 0, 2, 4 and 6 minutes and never in between
            assertEquals(goodCalls + minute / 2 + 1, orderCalls.get(), "calls by minute " + minute);
            assertEquals(watermark, watermarks.get(AdminPoller.ORDERS).orElseThrow().toInstant(), "the watermark stays");
            assertEquals(minute >= 5, firing().contains("SOURCE_DOWN:admin-api"), "SOURCE_DOWN after 5 minutes, at minute " + minute);
        }

        answers.put("/api/v1/orders", new String[] {"200", page(order("1", "st-1", "2026-11-22T09:30:00+03:00", "CONFIRMED"))});
        clock.now = clock.now.plus(Duration.ofSeconds(60));
        assertThrows(SourceRateLimitedException.class, p::pollOrders, "still inside the last Retry-After");
        assertEquals(goodCalls + 4, orderCalls.get());
        clock.now = clock.now.plus(Duration.ofSeconds(61));
        assertEquals(1, p.pollOrders().accepted(), "the next run after Retry-After resumes");
        assertEquals(Set.of(), firing());
        assertFalse(p.isDown());
    }

    @Test
    void pharmaciesThatCannotBeReadAtStartDoNotStopOrders() {
        answers.put("/api/v1/stores", new String[] {"503", "down"});
        answers.put("/api/v1/orders", new String[] {"200", page(order("7", "st-9", "2026-11-22T09:00:00+03:00", "CONFIRMED"))});
        assertEquals(1, poller.pollOrders().accepted());
        assertTrue(poller.isDown(), "the stores' failure still counts");
    }

    @Test
    void aSourceDownLeftFiringBeforeARestartResolvesOnTheFirstGoodPoll() {
        new SourceDownDetector(book, "admin-api").down("GET /api/v1/orders answered 503", clock.now.minusSeconds(600));
        assertEquals(Set.of("SOURCE_DOWN:admin-api"), firing());
        poller.pollOrders(); // a fresh poller (as after a restart, or on the instance that took over)
        assertEquals(Set.of(), firing());
    }

    @Test
    void aBadRecordIsQuarantinedOnceAndTheWatermarkMovesPastIt() {
        String bad = order("1", "st-1", "2026-11-22T09:10:00+03:00", "LOST");
        answers.put("/api/v1/orders", new String[] {"200", page(order("2", "st-1", "2026-11-22T09:00:00+03:00", "NEW"), bad)});
        poller.pollOrders();
        poller.pollOrders(); // inside the overlap window the bad record is read again
        assertEquals(1, TestApp.count(db, "SELECT COUNT(*) FROM quarantine"));
        assertEquals(OffsetDateTime.parse("2026-11-22T09:10:00+03:00").toInstant(), watermarks.get(AdminPoller.ORDERS).orElseThrow().toInstant());
        // the same order, fixed later, is a new version: taken, and its next bad version is kept again
        answers.put("/api/v1/orders", new String[] {"200", page(order("1", "st-1", "2026-11-22T09:20:00+03:00", "GONE"))});
        poller.pollOrders();
        assertEquals(2, TestApp.count(db, "SELECT COUNT(*) FROM quarantine"));
    }

    @Test
    void aPharmacyFirstSeenDeletedFlagsTheOpenOrdersAlreadyThere() {
        poller.pollStores();
        // the order arrives before its pharmacy is known
        answers.put("/api/v1/orders", new String[] {"200", page(order("7", "st-9", "2026-11-22T09:00:00+03:00", "CONFIRMED"))});
        poller.pollOrders();
        assertEquals(Set.of(), firing());
        answers.put("/api/v1/stores", new String[] {"200", page(store("st-9", "DELETED"))});
        poller.pollStores();
        assertEquals(Set.of("DELETED_STORE_ORDER:7"), firing());
    }
}
