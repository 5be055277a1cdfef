package io.orderwatch.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * A reference admin API (admin-api.md) on the JDK HttpServer whose orders and pharmacies a test sets:
 * {@code /api/v1/orders} and {@code /api/v1/stores} with updatedSince, ordered by (updatedAt, id), one
 * page. Each record is the JSON a test writes, so it says exactly what the admin system would.
 */
public final class AdminStub implements AutoCloseable {

    /** A record as the stub serves it: its JSON encoded once, when it is set (pages are written from these bytes). */
    private record Rec(String id, OffsetDateTime updatedAt, String json, byte[] utf8) {
        Rec(String id, OffsetDateTime updatedAt, String json) {
            this(id, updatedAt, json, json.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final HttpServer server;
    private final Map<String, Rec> orders = new ConcurrentHashMap<>();
    private final Map<String, Rec> stores = new ConcurrentHashMap<>();

    public AdminStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/orders", ex -> {
            served(ex);
            page(ex, orders);
        });
        server.createContext("/api/v1/stores", ex -> page(ex, stores));
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void store(String id, String chainId, String chainName, String status, OffsetDateTime updatedAt) {
        stores.put(id, new Rec(id, updatedAt, "{\"id\":\"" + id + "\",\"name\":\"" + chainName + ", Москва, ул. Тверская " + id.hashCode() % 90
                + "\",\"chainId\":\"" + chainId + "\",\"chainName\":\"" + chainName + "\",\"address\":\"Москва, ул. Тверская, 1\","
                + "\"city\":\"Москва\",\"region\":\"Москва\",\"timezone\":\"Europe/Moscow\",\"openingHours\":\"24/7\","
                + "\"phone\":\"+74950000000\",\"lat\":55.7,\"lon\":37.6,\"status\":\"" + status + "\","
                + "\"statusChangedAt\":\"2025-03-01T10:00:00+03:00\",\"updatedAt\":\"" + updatedAt + "\"}"));
    }

    /** An open pickup order; {@code exportState} FAILED makes an export failure, {@code linkError} a line not linked. */
    public void order(String id, String storeId, String exportState, String linkError, OffsetDateTime updatedAt) {
        OffsetDateTime created = updatedAt.minusMinutes(20);
        String export = "FAILED".equals(exportState)
                ? "{\"state\":\"FAILED\",\"system\":\"SBIS\",\"attempts\":3,\"lastAttemptAt\":\"" + created.plusMinutes(5)
                  + "\",\"error\":{\"code\":\"TIMEOUT\",\"message\":\"no response from pharmacy system in 30 s\"}}"
                : "{\"state\":\"" + exportState + "\",\"system\":\"SBIS\",\"attempts\":1,\"lastAttemptAt\":\"" + created.plusMinutes(1) + "\",\"error\":null}";
        String sku = linkError == null ? "\"S-1\"" : "null";
        String link = linkError == null ? "null" : "\"" + linkError + "\"";
        orders.put(id, new Rec(id, updatedAt, "{\"id\":\"" + id + "\",\"invoiceNumber\":null,\"source\":\"app\",\"createdAt\":\"" + created
                + "\",\"updatedAt\":\"" + updatedAt + "\",\"status\":\"EXPORTED\",\"statusChangedAt\":\"" + created.plusMinutes(1)
                + "\",\"deliveryType\":\"PICKUP\",\"plannedDeliveryAt\":null,\"storeId\":\"" + storeId + "\",\"region\":\"Москва\",\"city\":\"Москва\","
                + "\"customer\":{\"name\":\"Анна Смирнова\",\"phone\":\"+79806561461\",\"email\":\"anna@example.org\"},\"amount\":412.0,"
                + "\"items\":[{\"lineId\":\"1\",\"productId\":\"p-1\",\"name\":\"Нурофен\",\"quantity\":1,\"price\":412.0,\"storeSku\":" + sku
                + ",\"linkError\":" + link + "}],\"export\":" + export + ",\"courier\":null}"));
    }

    /** The order's line now has quantity 2 (a composition change), as of {@code updatedAt}. */
    public void itemsChanged(String id, OffsetDateTime updatedAt) {
        Rec r = orders.get(id);
        orders.put(id, new Rec(id, updatedAt, r.json().replace("\"quantity\":1,", "\"quantity\":2,")
                .replace("\"updatedAt\":\"" + r.updatedAt() + "\"", "\"updatedAt\":\"" + updatedAt + "\"")));
    }

    /** A pharmacy exactly as given (admin-api.md's Store JSON). */
    public void storeJson(String id, OffsetDateTime updatedAt, String json) {
        stores.put(id, new Rec(id, updatedAt, json));
    }

    /** An order exactly as given (admin-api.md's Order JSON). */
    public void orderJson(String id, OffsetDateTime updatedAt, String json) {
        orders.put(id, new Rec(id, updatedAt, json));
    }

    private static void page(HttpExchange ex, Map<String, Rec> records) throws IOException {
        OffsetDateTime since = null;
        String q = ex.getRequestURI().getRawQuery();
        if (q != null) {
            for (String pair : q.split("&")) {
                if (pair.startsWith("updatedSince=")) {
                    since = OffsetDateTime.parse(URLDecoder.decode(pair.substring("updatedSince=".length()), StandardCharsets.UTF_8));
                }
            }
        }
        OffsetDateTime from = since;
        java.util.List<Rec> listed = records.values().stream().filter(r -> from == null || !r.updatedAt().isBefore(from))
                .sorted(Comparator.comparing((Rec r) -> r.updatedAt().toInstant()).thenComparing(Rec::id)).toList();
        // the page is streamed from each record's bytes (chunked): a fresh status read of every ticket asks
        // for hundreds of orders, and a page built as one string cost the bench's JVM more than orderwatch's own reading
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, 0);
        try (java.io.OutputStream out = new java.io.BufferedOutputStream(ex.getResponseBody(), 64 * 1024)) {
            out.write(ITEMS);
            for (int i = 0; i < listed.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                out.write(listed.get(i).utf8());
            }
            out.write(LAST);
        }
        ex.close();
    }

    private static final byte[] ITEMS = "{\"items\":[".getBytes(StandardCharsets.UTF_8);
    private static final byte[] LAST = "],\"nextCursor\":null}".getBytes(StandardCharsets.UTF_8);

    /** A request for orders: when, and the Host it named (two instances given different admin URLs tell apart). */
    public record Served(java.time.Instant at, String host) {}

    private final java.util.List<Served> served = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile java.util.concurrent.CountDownLatch gate;
    private final java.util.List<Served> held = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Every request for /api/v1/orders so far, in order (the pollers' walks and a ticket's fresh read). */
    public java.util.List<Served> ordersServed() {
        return java.util.List.copyOf(served);
    }

    /** From now on requests for orders wait (an admin API that hangs) until {@link #release()}. */
    public void hold() {
        gate = new java.util.concurrent.CountDownLatch(1);
    }

    /** Requests for orders waiting in {@link #hold()} now or before. */
    public java.util.List<Served> held() {
        return java.util.List.copyOf(held);
    }

    public void release() {
        java.util.concurrent.CountDownLatch g = gate;
        gate = null;
        if (g != null) {
            g.countDown();
        }
    }

    private void served(HttpExchange ex) {
        Served s = new Served(java.time.Instant.now(), ex.getRequestHeaders().getFirst("Host"));
        served.add(s);
        java.util.concurrent.CountDownLatch g = gate;
        if (g != null) {
            held.add(s);
            try {
                g.await(2, java.util.concurrent.TimeUnit.MINUTES); // a hanging admin API; the test releases it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
    }
}
