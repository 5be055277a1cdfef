package io.orderwatch.source;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.orderwatch.model.Order;
import io.orderwatch.model.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client against a JDK HttpServer speaking admin-api.md: paging, auth, bad records, 429, 5xx, streaming. */
class AdminApiClientContractTest {

    private HttpServer server;
    private final Map<String, Consumer<HttpExchange>> handlers = new ConcurrentHashMap<>();
    private final List<String> queries = new CopyOnWriteArrayList<>();
    private final List<String> auth = new CopyOnWriteArrayList<>();
    private final List<Duration> waits = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            queries.add(ex.getRequestURI().getRawQuery());
            auth.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            handlers.getOrDefault(ex.getRequestURI().getPath(), e -> respond(e, 404, "{}")).accept(ex);
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool()); // a stalled answer must not block the next
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private AdminApiClient client(String token, int maxAttempts) {
        AdminApiSettings s = new AdminApiSettings(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), token,
                Duration.ofSeconds(2), Duration.ofSeconds(2), 2, maxAttempts, Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofMinutes(5));
        return new AdminApiClient(s, waits::add);
    }

    static String order(String id, String updatedAt, String status) {
        return "{\"id\":\"" + id + "\",\"createdAt\":\"2026-11-22T08:00:00+03:00\",\"updatedAt\":\"" + updatedAt + "\",\"status\":\"" + status
                + "\",\"statusChangedAt\":\"2026-11-22T08:03:40+03:00\",\"deliveryType\":\"PICKUP\",\"storeId\":\"st-1\","
                + "\"items\":[{\"lineId\":\"1\",\"productId\":\"p\",\"name\":\"Нурофен\",\"quantity\":1,\"price\":412.0,\"storeSku\":\"S\",\"linkError\":null}],"
                + "\"someNewField\":{\"nested\":[1,2]}}";
    }

    private static void respond(HttpExchange ex, int status, String body) {
        try (ex) {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
            if (b.length > 0) {
                ex.getResponseBody().write(b);
            }
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    private static final class Collect<T> implements RecordSink<T> {
        final List<T> accepted = new ArrayList<>();
        final List<RejectedRecord> rejected = new ArrayList<>();

        @Override
        public void accept(T record) {
            accepted.add(record);
        }

        @Override
        public void reject(RejectedRecord r) {
            rejected.add(r);
        }
    }

    @Test
    void walksEveryPageByCursorWithTokenAndUpdatedSince() {
        handlers.put("/api/v1/orders", ex -> {
            String q = ex.getRequestURI().getRawQuery();
            if (q.contains("cursor=c2")) {
                respond(ex, 200, "{\"items\":[" + order("3", "2026-11-22T09:20:00+03:00", "READY") + "],\"nextCursor\":null}");
            } else {
                respond(ex, 200, "{\"items\":[" + order("1", "2026-11-22T09:00:00+03:00", "NEW") + ","
                        + order("2", "2026-11-22T09:10:00+03:00", "EXPORTED") + "],\"nextCursor\":\"c2\"}");
            }
        });
        Collect<Order> sink = new Collect<>();
        PollResult r = client("tok", 3).pollOrders(OffsetDateTime.parse("2026-11-22T09:00:00+03:00"), sink);
        assertEquals(2, r.pages());
        assertEquals(3, r.accepted());
        assertEquals(List.of("1", "2", "3"), sink.accepted.stream().map(Order::id).toList());
        assertEquals(OffsetDateTime.parse("2026-11-22T09:20:00+03:00"), r.maxUpdatedAt());
        assertEquals("limit=2&updatedSince=2026-11-22T09%3A00%2B03%3A00", queries.get(0));
        assertEquals("limit=2&updatedSince=2026-11-22T09%3A00%2B03%3A00&cursor=c2", queries.get(1));
        assertTrue(auth.stream().allMatch("Bearer tok"::equals));
        client(null, 3).pollOrders(null, new Collect<>());
        assertEquals("null", auth.get(auth.size() - 1), "no token, no header");
    }

    @Test
    void badRecordsAreRejectedWithRawJsonAndTheRestOfThePageGoesOn() {
        String badStatus = order("10", "2026-11-22T09:00:00+03:00", "LOST");
        String badTime = order("11", "2026-11-22T09:00:00+03:00", "NEW").replace("2026-11-22T08:03:40+03:00", "вчера");
        String noId = order("12", "2026-11-22T09:00:00+03:00", "NEW").replace("\"id\":\"12\",", "");
        String wrongType = order("13", "2026-11-22T09:00:00+03:00", "NEW").replace("\"quantity\":1", "\"quantity\":\"много\"");
        String good = order("14", "2026-11-22T09:30:00+03:00", "NEW");
        handlers.put("/api/v1/orders", ex -> respond(ex, 200,
                "{\"items\":[" + String.join(",", badStatus, badTime, noId, wrongType, good, "42") + "],\"nextCursor\":null}"));
        Collect<Order> sink = new Collect<>();
        PollResult r = client(null, 3).pollOrders(null, sink);
        assertEquals(1, r.accepted());
        assertEquals(5, r.rejected());
        assertEquals("14", sink.accepted.get(0).id());
        assertEquals(OffsetDateTime.parse("2026-11-22T09:30:00+03:00"), r.maxUpdatedAt());
        assertEquals("status: unknown value \"LOST\"", sink.rejected.get(0).reason());
        assertEquals("10", sink.rejected.get(0).recordId());
        assertTrue(sink.rejected.get(0).rawJson().contains("\"LOST\""));
        assertTrue(sink.rejected.get(1).reason().startsWith("statusChangedAt: not an ISO-8601 time"), sink.rejected.get(1).reason());
        assertEquals("id: missing", sink.rejected.get(2).reason());
        assertTrue(sink.rejected.get(3).reason().startsWith("items[0].quantity"), sink.rejected.get(3).reason());
        assertEquals("record is not a JSON object", sink.rejected.get(4).reason());
    }

    @Test
    void versionsReadIdUpdatedAtAndStatusOnlyAcrossPages() {
        String wrongType = order("13", "2026-11-22T09:00:00+03:00", "EXPORTED").replace("\"quantity\":1", "\"quantity\":\"много\"");
        String badStatus = order("10", "2026-11-22T09:00:00+03:00", "LOST");
        String noId = order("12", "2026-11-22T09:00:00+03:00", "NEW").replace("\"id\":\"12\",", "");
        handlers.put("/api/v1/orders", ex -> {
            if (ex.getRequestURI().getRawQuery().contains("cursor=c2")) {
                respond(ex, 200, "{\"items\":[" + order("3", "2026-11-22T09:20:00+03:00", "READY") + "],\"nextCursor\":null}");
            } else {
                respond(ex, 200, "{\"items\":[" + String.join(",", wrongType, badStatus, noId) + "],\"nextCursor\":\"c2\"}");
            }
        });
        Collect<io.orderwatch.model.OrderVersion> sink = new Collect<>();
        PollResult r = client(null, 3).pollOrderVersions(OffsetDateTime.parse("2026-11-22T09:00:00+03:00"), sink);
        assertEquals(2, r.pages());
        assertEquals(List.of(new io.orderwatch.model.OrderVersion("13", OffsetDateTime.parse("2026-11-22T09:00:00+03:00"), io.orderwatch.model.OrderStatus.EXPORTED),
                new io.orderwatch.model.OrderVersion("3", OffsetDateTime.parse("2026-11-22T09:20:00+03:00"), io.orderwatch.model.OrderStatus.READY)),
                sink.accepted, "a field the status read does not need is not read, so it cannot fail the record");
        assertEquals(2, sink.rejected.size(), "an unknown status and a missing id are still rejected");
        assertEquals("10", sink.rejected.get(0).recordId());
        assertTrue(sink.rejected.get(0).reason().contains("LOST") && sink.rejected.get(0).rawJson().contains("\"LOST\""), sink.rejected.get(0).reason());
        assertEquals("id: missing", sink.rejected.get(1).reason());
        assertEquals(OffsetDateTime.parse("2026-11-22T09:20:00+03:00"), r.maxUpdatedAt());
    }

    @Test
    void aRejectedRecordIsKeptExactlyAsItArrivedAndTheNextOneStillBinds() {
        // binding fails in a nested object, half way through the record: the parser must find the record's end itself
        String nestedWrong = order("20", "2026-11-22T09:00:00+03:00", "NEW")
                .replace("\"storeId\":\"st-1\",", "\"storeId\":\"st-1\",\"customer\":{\"name\":[\"Анна\"],\"phone\":{\"x\":1}},");
        String tooBig = order("21", "2026-11-22T09:00:00+03:00", "NEW").replace("\"quantity\":1", "\"quantity\":99999999999999999999");
        String noStore = order("22", "2026-11-22T09:00:00+03:00", "NEW").replace("\"storeId\":\"st-1\",", "");
        String good = order("23", "2026-11-22T09:30:00+03:00", "NEW");
        handlers.put("/api/v1/orders", ex -> respond(ex, 200,
                "{\"items\":[ " + nestedWrong + " ,\n" + tooBig + "," + noStore + "," + good + "],\"nextCursor\":null}"));
        Collect<Order> sink = new Collect<>();
        PollResult r = client(null, 3).pollOrders(null, sink);
        assertEquals(List.of("23"), sink.accepted.stream().map(Order::id).toList());
        assertEquals(3, r.rejected());
        assertEquals(nestedWrong, sink.rejected.get(0).rawJson(), "byte for byte, Cyrillic included");
        assertEquals("20", sink.rejected.get(0).recordId());
        assertTrue(sink.rejected.get(0).reason().startsWith("customer.name: wrong type"), sink.rejected.get(0).reason());
        assertEquals(tooBig, sink.rejected.get(1).rawJson());
        assertTrue(sink.rejected.get(1).reason().startsWith("items[0].quantity"), sink.rejected.get(1).reason());
        assertEquals(noStore, sink.rejected.get(2).rawJson());
        assertEquals("storeId: missing", sink.rejected.get(2).reason());
    }

    @Test
    void aBodyThatStallsHalfWayTimesOutAndIsRetried() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        handlers.put("/api/v1/orders", ex -> {
            try (ex) {
                if (calls.incrementAndGet() == 1) {
                    ex.sendResponseHeaders(200, 0);
                    ex.getResponseBody().write(("{\"items\":[" + order("1", "2026-11-22T09:00:00+03:00", "NEW") + ",").getBytes(StandardCharsets.UTF_8));
                    ex.getResponseBody().flush();
                    release.await(); // the admin API stops sending, and keeps the connection open
                } else {
                    byte[] b = ("{\"items\":[" + order("1", "2026-11-22T09:00:00+03:00", "NEW") + "],\"nextCursor\":null}").getBytes(StandardCharsets.UTF_8);
                    ex.sendResponseHeaders(200, b.length);
                    ex.getResponseBody().write(b);
                }
            } catch (IOException | InterruptedException e) {
                // the client went away: expected for the stalled answer
            }
        });
        AdminApiSettings s = new AdminApiSettings(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), null,
                Duration.ofSeconds(2), Duration.ofMillis(300), 2, 3, Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofMinutes(5));
        Collect<Order> sink = new Collect<>();
        try {
            PollResult r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> new AdminApiClient(s, waits::add).pollOrders(null, sink));
            // the order read before the stall comes again with the retried page: an upsert, as the contract allows
            assertEquals(List.of("1", "1"), sink.accepted.stream().map(Order::id).toList());
            assertEquals(2, r.accepted());
            assertEquals(2, calls.get());
            assertEquals(List.of(Duration.ofSeconds(1)), waits, "a stalled page backs off like a timeout");
        } finally {
            release.countDown();
        }
    }

    @Test
    void reasonsNameTheFieldAndWhatIsWrongWithIt() {
        String noQuantity = order("40", "2026-11-22T09:00:00+03:00", "NEW").replace("\"quantity\":1,", "");
        String nullLine = order("41", "2026-11-22T09:00:00+03:00", "NEW").replace("\"items\":[", "\"items\":[null,");
        String indexStatus = order("42", "2026-11-22T09:00:00+03:00", "NEW").replace("\"status\":\"NEW\"", "\"status\":1");
        String half = order("43", "2026-11-22T09:00:00+03:00", "NEW").replace("\"quantity\":1", "\"quantity\":1.5");
        handlers.put("/api/v1/orders", ex -> respond(ex, 200,
                "{\"items\":[" + String.join(",", noQuantity, nullLine, indexStatus, half) + "],\"nextCursor\":null}"));
        Collect<Order> sink = new Collect<>();
        client(null, 3).pollOrders(null, sink);
        assertEquals(List.of("items[0].quantity: missing", "items[0]: null"),
                sink.rejected.subList(0, 2).stream().map(RejectedRecord::reason).toList());
        assertTrue(sink.rejected.get(2).reason().startsWith("status: wrong type"), sink.rejected.get(2).reason());
        assertEquals("items[0].quantity: invalid value \"1.5\"", sink.rejected.get(3).reason());
        assertEquals(List.of("40", "41", "42", "43"), sink.rejected.stream().map(RejectedRecord::recordId).toList());
    }

    @Test
    void malformedJsonInsideARecordIsABrokenPageNotABadRecord() {
        String broken = order("30", "2026-11-22T09:00:00+03:00", "NEW").replace("\"status\":\"NEW\"", "\"status\":NEW");
        handlers.put("/api/v1/orders", ex -> respond(ex, 200, "{\"items\":[" + broken + "],\"nextCursor\":null}"));
        Collect<Order> sink = new Collect<>();
        SourceUnavailableException e = assertThrows(SourceUnavailableException.class, () -> client(null, 2).pollOrders(null, sink));
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
        assertTrue(sink.rejected.isEmpty(), "nothing is quarantined from a page that cannot be read");
    }

    @Test
    void storesNeedAValidZone() {
        handlers.put("/api/v1/stores", ex -> respond(ex, 200, "{\"items\":["
                + "{\"id\":\"st-1\",\"status\":\"ACTIVE\",\"updatedAt\":\"2026-11-20T12:00:00+03:00\",\"timezone\":\"Asia/Vladivostok\",\"openingHours\":\"24/7\"},"
                + "{\"id\":\"st-2\",\"status\":\"ACTIVE\",\"updatedAt\":\"2026-11-20T12:00:00+03:00\",\"timezone\":\"Mars/Base\"},"
                + "{\"id\":\"st-3\",\"status\":\"GONE\",\"updatedAt\":\"2026-11-20T12:00:00+03:00\",\"timezone\":\"Europe/Moscow\"}"
                + "],\"nextCursor\":null}"));
        Collect<Store> sink = new Collect<>();
        client(null, 3).pollStores(null, sink);
        assertEquals(1, sink.accepted.size());
        assertTrue(sink.accepted.get(0).openingHours().isAlwaysOpen());
        assertEquals("timezone: not an IANA zone \"Mars/Base\"", sink.rejected.get(0).reason());
        assertEquals("status: unknown value \"GONE\"", sink.rejected.get(1).reason());
    }

    @Test
    void rateLimitEndsTheRunWithoutWaitingAndServerErrorsBackOff() {
        AtomicInteger calls = new AtomicInteger();
        handlers.put("/api/v1/orders", ex -> {
            int n = calls.incrementAndGet();
            if (n == 1) {
                ex.getResponseHeaders().set("Retry-After", "0");
                respond(ex, 429, "{}");
            } else if (n <= 3) {
                respond(ex, 503, "down");
            } else {
                respond(ex, 200, "{\"items\":[],\"nextCursor\":null}");
            }
        });
        AdminApiClient client = client(null, 4);
        SourceRateLimitedException limited = assertThrows(SourceRateLimitedException.class, () -> client.pollOrders(null, new Collect<>()));
        assertTrue(limited.getMessage().contains("answered 429"), limited.getMessage());
        assertEquals(List.of(), waits, "a 429 is not waited out inside the run");
        PollResult r = client.pollOrders(null, new Collect<>()); // Retry-After: 0, so the next run may call at once
        assertEquals(0, r.accepted());
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), waits);
    }

    @Test
    void persistentOutageAndBadTokenFailClearly() {
        handlers.put("/api/v1/orders", ex -> respond(ex, 503, "down"));
        SourceUnavailableException down = assertThrows(SourceUnavailableException.class, () -> client(null, 3).pollOrders(null, new Collect<>()));
        assertEquals("admin API unavailable: GET /api/v1/orders answered 503 (3 attempts)", down.getMessage());
        handlers.put("/api/v1/orders", ex -> respond(ex, 401, "{}"));
        int before = queries.size();
        SourceAuthException auth = assertThrows(SourceAuthException.class, () -> client("bad", 3).pollOrders(null, new Collect<>()));
        assertEquals(before + 1, queries.size(), "a refused token is not retried");
        assertTrue(auth.getMessage().contains("ORDERWATCH_ADMIN_TOKEN") && !auth.getMessage().contains("bad"));
        handlers.put("/api/v1/orders", ex -> respond(ex, 200, "{\"items\":[" + order("1", "2026-11-22T09:00:00+03:00", "NEW")));
        assertThrows(SourceUnavailableException.class, () -> client(null, 2).pollOrders(null, new Collect<>()), "a truncated page is retried, then reported");
    }

    @Test
    void streamsALargeLoadWithoutHoldingIt() {
        int total = 100_000;
        int pageSize = 1000;
        handlers.put("/api/v1/orders", ex -> {
            String q = ex.getRequestURI().getRawQuery();
            int page = q.contains("cursor=") ? Integer.parseInt(q.substring(q.indexOf("cursor=") + 7)) : 0;
            try (ex) {
                ex.getResponseHeaders().set("Content-Type", "application/json");
                ex.sendResponseHeaders(200, 0);
                try (OutputStream out = ex.getResponseBody(); Writer w = new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8)) {
                    w.write("{\"items\":[");
                    for (int i = 0; i < pageSize; i++) {
                        int n = page * pageSize + i;
                        w.write((i > 0 ? "," : "") + order(String.valueOf(n), "2026-11-22T09:00:00+03:00", "NEW"));
                    }
                    w.write("],\"nextCursor\":" + ((page + 1) * pageSize < total ? "\"" + (page + 1) + "\"" : "null") + "}");
                }
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        AdminApiSettings s = new AdminApiSettings(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), null,
                Duration.ofSeconds(2), Duration.ofSeconds(10), pageSize, 2, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1));
        long[] count = {0};
        long started = System.nanoTime();
        PollResult r = new AdminApiClient(s, waits::add).pollOrders(null, new RecordSink<>() {
            @Override
            public void accept(Order o) {
                count[0]++;
            }

            @Override
            public void reject(RejectedRecord rejected) {
                throw new AssertionError(rejected.reason());
            }
        });
        double seconds = (System.nanoTime() - started) / 1e9;
        assertEquals(total, count[0]);
        assertEquals(total / pageSize, r.pages());
        assertNull(null);
        System.out.printf("admin API client: %d orders in %.2f s (%.0f orders/s) over loopback HTTP%n", total, seconds, total / seconds);
    }
}
