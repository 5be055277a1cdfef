package io.orderwatch.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderwatch.model.ExportState;
import io.orderwatch.model.Json;
import io.orderwatch.model.Order;
import io.orderwatch.model.Store;
import io.orderwatch.source.AdminApiClient;
import io.orderwatch.source.AdminApiSettings;
import io.orderwatch.source.RecordSink;
import io.orderwatch.source.RejectedRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The simulator speaks the reference contract and shows every problem from the first minute. */
class DemoSimulatorContractTest {

    private final DemoWorld world = new DemoWorld(42, Clock.systemUTC());
    private AdminSimulator sim;

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    private List<Order> readAll(String token, int pageSize) {
        AdminApiSettings s = new AdminApiSettings(URI.create(sim.baseUrl()), token, Duration.ofSeconds(2), Duration.ofSeconds(5),
                pageSize, 1, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(1));
        List<Order> out = new ArrayList<>();
        new AdminApiClient(s, d -> { }).pollOrders(null, new RecordSink<>() {
            @Override
            public void accept(Order o) {
                out.add(o);
            }

            @Override
            public void reject(RejectedRecord r) {
                throw new AssertionError("the simulator served a bad record: " + r.reason());
            }
        });
        return out;
    }

    @Test
    void pagingVisitsEveryOrderOnceInOrder() throws Exception {
        sim = new AdminSimulator(world, "127.0.0.1", 0, "t", 0);
        List<Order> all = readAll("t", 37);
        assertEquals(world.orders().size(), all.size());
        assertEquals(all.size(), all.stream().map(Order::id).collect(Collectors.toSet()).size(), "no order twice");
        for (int i = 1; i < all.size(); i++) {
            Order a = all.get(i - 1);
            Order b = all.get(i);
            int c = a.updatedAt().toInstant().compareTo(b.updatedAt().toInstant());
            assertTrue(c < 0 || (c == 0 && a.id().compareTo(b.id()) < 0), "ordered by (updatedAt, id)");
        }
    }

    @Test
    void badParametersAndMissingTokenAreRefused() throws Exception {
        sim = new AdminSimulator(world, "127.0.0.1", 0, "t", 0);
        HttpClient http = HttpClient.newHttpClient();
        for (String q : List.of("limit=0", "limit=1001", "limit=abc", "cursor=not-base64!", "updatedSince=yesterday")) {
            assertEquals(400, status(http, "/api/v1/orders?" + q, "t"), q);
        }
        assertEquals(401, status(http, "/api/v1/orders", null));
        assertEquals(401, status(http, "/api/v1/stores", "wrong"));
        assertEquals(200, status(http, "/api/v1/stores?limit=1", "t"));
    }

    @Test
    void everyProblemIsThereFromTheFirstMinute() {
        Set<String> deleted = world.stores().stream().filter(Store::isDeleted).map(Store::id).collect(Collectors.toSet());
        Set<String> zones = world.stores().stream().map(Store::timezone).collect(Collectors.toCollection(HashSet::new));
        assertTrue(zones.contains("Europe/Kaliningrad") && zones.contains("Asia/Vladivostok"), zones.toString());
        assertTrue(world.stores().size() >= 30);
        assertTrue(world.orders().size() >= 200);
        List<Order> open = world.orders().stream().filter(o -> !o.isFinal()).toList();
        assertTrue(open.stream().anyMatch(o -> deleted.contains(o.storeId())), "open orders in a deleted pharmacy");
        assertTrue(open.stream().anyMatch(o -> o.export() != null && o.export().state() == ExportState.FAILED), "export failures");
        assertTrue(open.stream().anyMatch(o -> o.items().stream().anyMatch(i -> i.isUnlinked())), "unlinked lines");
        Instant threeHoursAgo = Instant.now().minus(Duration.ofHours(3));
        assertTrue(open.stream().anyMatch(o -> o.statusChangedAt().toInstant().isBefore(threeHoursAgo)), "stuck orders");
        assertTrue(open.stream().anyMatch(o -> o.plannedDeliveryAt() != null && o.plannedDeliveryAt().toInstant().isBefore(Instant.now())),
                "a courier order past its promised time");

        List<String> events = new ArrayList<>();
        world.onEvent(events::add);
        for (int i = 0; i < 5; i++) {
            world.tick();
        }
        Map<String, Long> byType = events.stream().map(DemoSimulatorContractTest::parse)
                .peek(e -> assertTrue(e.hasNonNull("eventId") && e.hasNonNull("occurredAt") && e.hasNonNull("data")))
                .collect(Collectors.groupingBy(e -> e.get("type").asText(), Collectors.counting()));
        assertTrue(byType.containsKey("ORDER_ITEMS_CHANGED"), byType.toString());
        assertTrue(byType.getOrDefault("EXPORT_FAILED", 0L) >= 2, "a whole chain failing at once: " + byType);
        assertTrue(byType.containsKey("CITY_NOT_FOUND"), byType.toString());
    }

    private static JsonNode parse(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private int status(HttpClient http, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.baseUrl() + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
