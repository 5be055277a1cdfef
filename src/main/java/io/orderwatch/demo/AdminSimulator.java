package io.orderwatch.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.orderwatch.model.Json;
import io.orderwatch.model.Order;
import io.orderwatch.model.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The reference admin API (admin-api.md) over real HTTP, serving a {@link DemoWorld}: GET
 * /api/v1/orders and /api/v1/stores with updatedSince, cursor and limit, pages ordered by (updatedAt, id).
 * A ticker advances the world in the background.
 */
public final class AdminSimulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdminSimulator.class);

    private final DemoWorld world;
    private final String token;
    private final HttpServer server;
    private final ScheduledExecutorService ticker;
    private final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.AtomicLong> walks = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param bindHost    127.0.0.1 in-process, 0.0.0.0 as a service of its own
     * @param port        0 for any free port
     * @param token       bearer token to require, or null
     * @param tickSeconds how often the world moves on (0: only when {@link DemoWorld#tick()} is called)
     */
    public AdminSimulator(DemoWorld world, String bindHost, int port, String token, int tickSeconds) throws IOException {
        this.world = world;
        this.token = token == null || token.isBlank() ? null : token;
        this.server = HttpServer.create(new InetSocketAddress(bindHost, port), 64);
        server.createContext("/api/v1/orders", ex -> handle(ex, world::orders, Order::updatedAt, Order::id));
        server.createContext("/api/v1/stores", ex -> handle(ex, world::stores, Store::updatedAt, Store::id));
        // the same orders in a second dialect, for routes/poll-foreign-orders.camel.yaml (LegacyDialect)
        server.createContext("/legacy/orders", this::handleLegacy);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "admin-simulator-http");
            t.setDaemon(true);
            return t;
        }));
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "admin-simulator-tick");
            t.setDaemon(true);
            return t;
        });
        server.start();
        if (tickSeconds > 0) {
            ticker.scheduleWithFixedDelay(() -> {
                try {
                    world.tick();
                } catch (RuntimeException e) {
                    LOG.warn("Simulator tick failed: {}", e.toString());
                }
            }, tickSeconds, tickSeconds, TimeUnit.SECONDS);
        }
    }

    public String baseUrl() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        return "http://" + host + ":" + a.getPort();
    }

    /** How many walks (first pages, without a cursor) of this path were served: one per poll. */
    public long walks(String path) {
        var n = walks.get(path);
        return n == null ? 0 : n.get();
    }

    public DemoWorld world() {
        return world;
    }

    private <T> void handle(HttpExchange ex, java.util.function.Supplier<List<T>> all,
                            Function<T, OffsetDateTime> updatedAt, Function<T, String> id) throws IOException {
        try (ex) {
            if (!"GET".equals(ex.getRequestMethod())) {
                send(ex, 405, Map.of("error", "method not allowed"));
                return;
            }
            if (token != null && !("Bearer " + token).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                send(ex, 401, Map.of("error", "bad or missing bearer token"));
                return;
            }
            Map<String, String> q = query(ex.getRequestURI().getRawQuery());
            int limit = 500;
            if (q.containsKey("limit")) {
                try {
                    limit = Integer.parseInt(q.get("limit"));
                } catch (NumberFormatException e) {
                    limit = -1;
                }
                if (limit < 1 || limit > 1000) {
                    send(ex, 400, Map.of("error", "limit must be 1..1000"));
                    return;
                }
            }
            OffsetDateTime since = null;
            if (q.containsKey("updatedSince")) {
                try {
                    since = OffsetDateTime.parse(q.get("updatedSince"));
                } catch (DateTimeParseException e) {
                    send(ex, 400, Map.of("error", "updatedSince must be ISO-8601 with an offset"));
                    return;
                }
            }
            Key after = null;
            if (q.containsKey("cursor")) {
                try {
                    String[] parts = new String(Base64.getUrlDecoder().decode(q.get("cursor")), StandardCharsets.UTF_8).split("\\|", 2);
                    after = new Key(OffsetDateTime.parse(parts[0]), parts[1]);
                } catch (RuntimeException e) {
                    send(ex, 400, Map.of("error", "bad cursor"));
                    return;
                }
            }
            if (after == null) {
                walks.computeIfAbsent(ex.getRequestURI().getPath(), k -> new java.util.concurrent.atomic.AtomicLong()).incrementAndGet();
            }
            List<T> sorted = new ArrayList<>(all.get());
            Comparator<T> order = Comparator.comparing((T t) -> updatedAt.apply(t).toInstant()).thenComparing(id);
            sorted.sort(order);
            List<T> page = new ArrayList<>();
            boolean more = false;
            for (T t : sorted) {
                if (since != null && updatedAt.apply(t).toInstant().isBefore(since.toInstant())) {
                    continue;
                }
                if (after != null && new Key(updatedAt.apply(t), id.apply(t)).compareTo(after) <= 0) {
                    continue;
                }
                if (page.size() == limit) {
                    more = true;
                    break;
                }
                page.add(t);
            }
            String next = null;
            if (more) {
                T last = page.get(page.size() - 1);
                next = Base64.getUrlEncoder().withoutPadding().encodeToString(
                        (updatedAt.apply(last) + "|" + id.apply(last)).getBytes(StandardCharsets.UTF_8));
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("items", page);
            body.put("nextCursor", next);
            send(ex, 200, body);
        } catch (RuntimeException e) {
            LOG.warn("Simulator request failed: {}", e.toString());
        }
    }

    /** GET /legacy/orders?changed_from=<ISO-8601>&page=<n>&per_page=<m>, in {@link LegacyDialect}. */
    private void handleLegacy(HttpExchange ex) throws IOException {
        try (ex) {
            if (token != null && !("Bearer " + token).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                send(ex, 401, Map.of("error", "bad or missing bearer token"));
                return;
            }
            Map<String, String> q = query(ex.getRequestURI().getRawQuery());
            OffsetDateTime since;
            int page;
            int perPage;
            try {
                String from = q.getOrDefault("changed_from", "");
                since = from.isBlank() ? null : OffsetDateTime.parse(from);
                page = Integer.parseInt(q.getOrDefault("page", "1"));
                perPage = Integer.parseInt(q.getOrDefault("per_page", "50"));
            } catch (RuntimeException e) {
                send(ex, 400, Map.of("error", "changed_from is ISO-8601, page and per_page are numbers"));
                return;
            }
            if (page < 1 || perPage < 1 || perPage > 500) {
                send(ex, 400, Map.of("error", "page >= 1, per_page 1..500"));
                return;
            }
            send(ex, 200, LegacyDialect.page(world.orders(), since, page, perPage));
        } catch (RuntimeException e) {
            LOG.warn("Simulator request failed: {}", e.toString());
        }
    }

    record Key(OffsetDateTime updatedAt, String id) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = updatedAt.toInstant().compareTo(o.updatedAt.toInstant());
            return c != 0 ? c : id.compareTo(o.id);
        }
    }

    private static void send(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes = Json.mapper().writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
