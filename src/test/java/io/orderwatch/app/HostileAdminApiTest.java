package io.orderwatch.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.orderwatch.testing.AdminStub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole application against an admin API that misbehaves in every way a peer can: garbage, a
 * truncated body, an HTML error page (200 and 502), a 10 MB page, a page that never ends, and one
 * that accepts and never answers. orderwatch keeps running and polling (every bad poll ends: the next
 * one comes), keeps the alerts it had (a bad page is never read as "the orders are gone"), raises
 * SOURCE_DOWN after {@code orderwatch.source-down.after} and resolves it when the API answers again,
 * logs one line per failed poll that says what was wrong, and cuts a never-ending page off at
 * {@code orderwatch.admin.max-page-bytes} instead of reading it whole.
 */
class HostileAdminApiTest {

    enum Mode { GOOD, GARBAGE, TRUNCATED, HTML_200, HTML_502, ENDLESS, HANG, BIG }

    private static final long MAX_PAGE = 16L << 20;

    @TempDir
    Path data;

    private HttpServer server;
    private AdminStub stores;
    private Orderwatch orderwatch;
    private volatile Mode mode = Mode.GOOD;
    private final Map<Mode, AtomicInteger> served = new ConcurrentHashMap<>();
    private final AtomicLong endlessBytes = new AtomicLong();
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private AppenderBase<ILoggingEvent> appender;
    private String good;
    private String big;

    @AfterEach
    void stop() {
        release.countDown();
        if (appender != null) {
            ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(appender);
        }
        if (orderwatch != null) {
            orderwatch.stop();
        }
        if (server != null) {
            server.stop(0);
        }
        if (stores != null) {
            stores.close();
        }
    }

    private static String order(String id, OffsetDateTime at, String padding) {
        return "{\"id\":\"" + id + "\",\"invoiceNumber\":null,\"source\":\"app\",\"createdAt\":\"" + at.minusMinutes(20) + "\",\"updatedAt\":\"" + at
                + "\",\"status\":\"EXPORTED\",\"statusChangedAt\":\"" + at.minusMinutes(19) + "\",\"deliveryType\":\"PICKUP\","
                + "\"plannedDeliveryAt\":null,\"storeId\":\"st-1\",\"region\":\"Москва\",\"city\":\"Москва\","
                + "\"customer\":{\"name\":\"Анна\",\"phone\":\"+79806561461\",\"email\":null},\"amount\":412.0,"
                + "\"items\":[{\"lineId\":\"1\",\"productId\":\"p-1\",\"name\":\"Нурофен\",\"quantity\":1,\"price\":412.0,\"storeSku\":\"S-1\",\"linkError\":null}],"
                + "\"export\":{\"state\":\"FAILED\",\"system\":\"SBIS\",\"attempts\":3,\"lastAttemptAt\":\"" + at.minusMinutes(15) + "\","
                + "\"error\":{\"code\":\"TIMEOUT\",\"message\":\"no response\"}},\"courier\":null"
                + (padding == null ? "" : ",\"padding\":\"" + padding + "\"") + "}";
    }

    private void orders(HttpExchange ex) throws IOException {
        Mode m = mode;
        served.computeIfAbsent(m, k -> new AtomicInteger()).incrementAndGet();
        try (ex) {
            switch (m) {
                case GOOD -> send(ex, 200, "application/json", good.getBytes(StandardCharsets.UTF_8));
                case BIG -> send(ex, 200, "application/json", big.getBytes(StandardCharsets.UTF_8));
                case GARBAGE -> {
                    byte[] junk = new byte[4096];
                    new Random(7).nextBytes(junk);
                    send(ex, 200, "application/json", junk);
                }
                case TRUNCATED -> send(ex, 200, "application/json", good.substring(0, good.length() * 2 / 3).getBytes(StandardCharsets.UTF_8));
                case HTML_200 -> send(ex, 200, "text/html", "<!DOCTYPE html>\n<html><body><h1>技术 работы</h1>\r\n<p>Попробуйте позже</p></body></html>"
                        .getBytes(StandardCharsets.UTF_8));
                case HTML_502 -> send(ex, 502, "text/html", "<html><head><title>502 Bad Gateway</title></head>\n<body>nginx</body></html>"
                        .getBytes(StandardCharsets.UTF_8));
                case ENDLESS -> {
                    ex.getResponseHeaders().set("Content-Type", "application/json");
                    ex.sendResponseHeaders(200, 0);
                    OutputStream out = ex.getResponseBody();
                    out.write("{\"items\":[".getBytes(StandardCharsets.UTF_8));
                    byte[] filler = ("[" + "1,".repeat(32 * 1024)).getBytes(StandardCharsets.UTF_8);
                    while (true) { // until orderwatch hangs up
                        out.write(filler);
                        endlessBytes.addAndGet(filler.length);
                    }
                }
                case HANG -> release.await(); // accepts, reads the request, never answers
            }
        } catch (IOException | InterruptedException e) {
            // orderwatch hung up: what the endless and the hanging answers are for
        }
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
    }

    @Test
    void everyKindOfBadAnswerIsOneFailedPollThatChangesNothingAndRaisesThenResolvesSourceDown() throws Exception {
        OffsetDateTime t0 = OffsetDateTime.now().minusMinutes(30);
        good = "{\"items\":[" + order("48230001", t0, null) + "," + order("48230002", t0.plusSeconds(1), null) + "],\"nextCursor\":null}";
        big = "{\"items\":[" + order("48230001", t0, null) + "," + order("48230002", t0.plusSeconds(1), null) + ","
                + order("48230003", t0.plusSeconds(2), "x".repeat(10 << 20)) + "],\"nextCursor\":null}";
        stores = new AdminStub();
        stores.store("st-1", "ch-nevis", "Невис", "ACTIVE", t0);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/orders", this::orders);
        server.createContext("/api/v1/stores", ex -> {
            // the pharmacies come from a well-behaved stub: only the orders misbehave
            try (ex) {
                HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(stores.baseUrl()
                        + ex.getRequestURI())).build(), HttpResponse.BodyHandlers.ofByteArray());
                send(ex, r.statusCode(), "application/json", r.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
        appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent e) {
                if (e.getLevel().isGreaterOrEqual(Level.WARN)) {
                    warnings.add(e.getLoggerName() + " " + e.getFormattedMessage());
                }
            }
        };
        appender.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
        appender.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(appender);

        Properties p = TestApp.configuredOverrides(data, "http://127.0.0.1:" + server.getAddress().getPort());
        p.setProperty("orderwatch.admin.read-timeout", "1s");
        p.setProperty("orderwatch.admin.max-attempts", "1");
        p.setProperty("orderwatch.admin.max-page-bytes", String.valueOf(MAX_PAGE));
        p.setProperty("orderwatch.source-down.after", "4s");
        orderwatch = Orderwatch.create(Path.of("."), Map.of(), p);
        orderwatch.start();
        var db = orderwatch.wiring().database();
        String firingExports = "SELECT COUNT(*) FROM alert WHERE kind = 'EXPORT_FAILED' AND state = 'FIRING'";
        await().atMost(Duration.ofSeconds(30)).until(() -> TestApp.count(db, firingExports) == 2);

        Runtime rt = Runtime.getRuntime();
        for (Mode m : List.of(Mode.GARBAGE, Mode.TRUNCATED, Mode.HTML_200, Mode.HTML_502, Mode.ENDLESS, Mode.HANG)) {
            int warningsBefore = warnings.size();
            mode = m;
            // a second request in this mode: the poll that met the first one ended, and the poller carries on
            await().atMost(Duration.ofSeconds(20)).until(() -> served.getOrDefault(m, new AtomicInteger()).get() >= 2);
            assertEquals(2, TestApp.count(db, firingExports), m + ": nothing resolved because a page was bad");
            List<String> lines = warnings.subList(warningsBefore, warnings.size()).stream()
                    .filter(w -> w.contains("poll-admin-orders failed")).toList();
            assertTrue(!lines.isEmpty(), m + ": the failed poll is logged: " + warnings);
            for (String line : lines) {
                assertTrue(!line.contains("\n") && !line.contains("\r") && line.length() < 400, m + ": one short line: " + line);
                assertTrue(!line.contains("<html") && !line.contains("<!DOCTYPE") && !line.contains("Попробуйте"), m + ": no page in the log: " + line);
            }
            String reason = switch (m) {
                case HTML_502 -> "answered 502";
                case ENDLESS -> "page longer than " + MAX_PAGE + " bytes";
                case HANG -> "timed out";
                default -> "GET /api/v1/orders failed: page ";
            };
            assertTrue(lines.stream().anyMatch(l -> l.contains(reason)), m + ": says what was wrong (" + reason + "): " + lines);
        }
        long cut = endlessBytes.get();
        assertTrue(cut < 3 * MAX_PAGE, "the endless page is cut off near the limit, not read on: " + cut + " bytes sent in all");
        assertTrue(rt.totalMemory() - rt.freeMemory() < rt.maxMemory(), "still within the heap");

        await().atMost(Duration.ofSeconds(20)).until(() -> TestApp.count(db,
                "SELECT COUNT(*) FROM alert WHERE kind = 'SOURCE_DOWN' AND state = 'FIRING'") == 1);
        assertEquals(0, TestApp.count(db, "SELECT COUNT(*) FROM alert_event WHERE fingerprint LIKE 'EXPORT_FAILED:%' AND payload LIKE '%\"state\":\"RESOLVED\"%'"),
                "no export alert resolved at any time while the API misbehaved");

        // the API answers again, with a 10 MB page: read whole (record by record), SOURCE_DOWN resolves
        mode = Mode.BIG;
        await().atMost(Duration.ofSeconds(30)).until(() -> TestApp.count(db,
                "SELECT COUNT(*) FROM alert WHERE kind = 'SOURCE_DOWN' AND state = 'RESOLVED'") == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> TestApp.count(db, firingExports) == 3);
        mode = Mode.GOOD;
        int goodBefore = served.getOrDefault(Mode.GOOD, new AtomicInteger()).get();
        await().atMost(Duration.ofSeconds(10)).until(() -> served.get(Mode.GOOD).get() > goodBefore + 1);
        assertEquals(3, TestApp.count(db, firingExports), "what orderwatch knew is all still there");
        assertEquals(1, TestApp.count(db, "SELECT COUNT(*) FROM alert WHERE kind = 'SOURCE_DOWN'"), "one outage, one alert");
        assertTrue(warnings.stream().noneMatch(w -> w.contains("OutOfMemory") || w.contains("ERROR")), String.valueOf(warnings));
    }
}
