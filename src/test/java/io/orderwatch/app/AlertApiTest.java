package io.orderwatch.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderwatch.model.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET /api/v1/alerts and the silences, exactly as orderwatch-api.md says, over the demo's alerts. */
class AlertApiTest {

    @TempDir
    Path data;

    private Orderwatch orderwatch;
    private Properties props;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        props = TestApp.demoOverrides(data);
        props.setProperty("orderwatch.api.token", "api-token");
        props.setProperty("orderwatch.demo.digest-cron", "0 0 0 1 1 ? 2099");
        props.setProperty("orderwatch.silence.nevis.chainId", "ch-nevis");
        props.setProperty("orderwatch.silence.nevis.kind", "EXPORT_FAILED");
        props.setProperty("orderwatch.silence.nevis.until", OffsetDateTime.now().plusDays(1).toString());
        orderwatch = Orderwatch.create(Path.of("."), Map.of(), props);
        orderwatch.start();
    }

    @AfterEach
    void stop() {
        orderwatch.stop();
    }

    private HttpResponse<String> call(String method, String path, String body, boolean token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + props.getProperty("orderwatch.http.port") + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token) {
            b.header("Authorization", "Bearer api-token");
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = call("GET", path, null, true);
        assertEquals(200, r.statusCode(), r.body());
        return Json.mapper().readTree(r.body());
    }

    @Test
    void listsFiltersPagesAndSilences() throws Exception {
        assertEquals(401, call("GET", "/api/v1/alerts", null, false).statusCode());
        await().atMost(Duration.ofSeconds(60)).until(() -> get("/api/v1/alerts?state=FIRING&kind=STUCK_ORDER").get("items").size() >= 5
                && get("/api/v1/alerts?kind=CITY_REQUEST").get("items").size() >= 1);

        JsonNode stuck = get("/api/v1/alerts?state=FIRING&kind=STUCK_ORDER").get("items").get(0);
        for (String field : new String[] {"fingerprint", "kind", "state", "muted", "orderId", "storeId", "chainId", "region", "startedAt",
                "firstSeenAt", "lastSeenAt", "resolvedAt", "details"}) {
            assertTrue(stuck.has(field), "alert has " + field + ": " + stuck);
        }
        assertEquals("STUCK_ORDER:" + stuck.get("orderId").asText(), stuck.get("fingerprint").asText());
        JsonNode byOrder = get("/api/v1/alerts?orderId=" + stuck.get("orderId").asText());
        assertTrue(byOrder.get("items").size() >= 1);
        JsonNode city = get("/api/v1/alerts?kind=CITY_REQUEST").get("items").get(0);
        assertTrue(city.get("orderId").isNull() && city.get("details").has("city"), city.toString());

        // paging: every alert exactly once across pages of 2
        int total = get("/api/v1/alerts?limit=5000").get("items").size();
        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = get("/api/v1/alerts?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            page.get("items").forEach(a -> assertTrue(seen.add(a.get("fingerprint").asText()), "twice: " + a));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
            pages++;
        } while (cursor != null && pages < 1000);
        assertTrue(seen.size() >= total, seen.size() + " of " + total);
        assertEquals(400, call("GET", "/api/v1/alerts?limit=5001", null, true).statusCode());
        assertEquals(400, call("GET", "/api/v1/alerts?state=BROKEN", null, true).statusCode());
        assertEquals(0, get("/api/v1/alerts?since=" + URLEncoder.encode(OffsetDateTime.now().plusHours(1).toString(), StandardCharsets.UTF_8))
                .get("items").size());

        // the config silence mutes the whole Nevis chain's export failures, still listed
        await().atMost(Duration.ofSeconds(60)).until(() -> get("/api/v1/alerts?kind=EXPORT_FAILED&chainId=ch-nevis").get("items").size() >= 2);
        get("/api/v1/alerts?kind=EXPORT_FAILED&chainId=ch-nevis").get("items").forEach(a -> assertTrue(a.get("muted").asBoolean(), a.toString()));

        // an API silence on one stuck order, then removed
        String orderId = stuck.get("orderId").asText();
        HttpResponse<String> created = call("POST", "/api/v1/silences", "{\"matchers\":{\"orderId\":\"" + orderId + "\"},\"until\":\""
                + OffsetDateTime.now().plusHours(2) + "\",\"comment\":\"клиент предупреждён\",\"createdBy\":\"operator\"}", true);
        assertEquals(201, created.statusCode(), created.body());
        String id = Json.mapper().readTree(created.body()).get("id").asText();
        assertTrue(get("/api/v1/alerts?kind=STUCK_ORDER&orderId=" + orderId).get("items").get(0).get("muted").asBoolean());
        assertEquals(2, get("/api/v1/silences").get("items").size());
        assertEquals(400, call("POST", "/api/v1/silences", "{\"matchers\":{},\"until\":\"" + OffsetDateTime.now().plusHours(1) + "\"}", true).statusCode());
        assertEquals(400, call("POST", "/api/v1/silences", "{\"matchers\":{\"region\":\"x\"},\"until\":\"" + OffsetDateTime.now().plusHours(1) + "\"}", true).statusCode());
        assertEquals(400, call("POST", "/api/v1/silences", "{\"matchers\":{\"kind\":\"STUCK_ORDER\"},\"until\":\"2020-01-01T00:00:00Z\"}", true).statusCode());
        assertEquals(204, call("DELETE", "/api/v1/silences/" + id, null, true).statusCode());
        assertEquals(404, call("DELETE", "/api/v1/silences/" + id, null, true).statusCode());
        assertTrue(!get("/api/v1/alerts?kind=STUCK_ORDER&orderId=" + orderId).get("items").get(0).get("muted").asBoolean());
    }

    /** Values longer than the silence table's columns are a 400 naming the field, not a 500 from the database. */
    @Test
    void silenceFieldsLongerThanTheirColumnsAreRefusedNamingTheField() throws Exception {
        String until = OffsetDateTime.now().plusHours(1).toString();
        HttpResponse<String> r = call("POST", "/api/v1/silences", "{\"matchers\":{\"storeId\":\"" + "s".repeat(65) + "\"},\"until\":\"" + until + "\"}", true);
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("matchers.storeId"), r.body());
        r = call("POST", "/api/v1/silences", "{\"matchers\":{\"kind\":\"STUCK_ORDER\"},\"until\":\"" + until + "\",\"comment\":\"" + "ж".repeat(1001) + "\"}", true);
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("comment"), r.body());
        r = call("POST", "/api/v1/silences", "{\"matchers\":{\"kind\":\"STUCK_ORDER\"},\"until\":\"" + until + "\",\"createdBy\":\"" + "a".repeat(201) + "\"}", true);
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("createdBy"), r.body());
        // exactly at the limits is stored
        r = call("POST", "/api/v1/silences", "{\"matchers\":{\"storeId\":\"" + "s".repeat(64) + "\"},\"until\":\"" + until
                + "\",\"comment\":\"" + "ж".repeat(1000) + "\",\"createdBy\":\"" + "a".repeat(200) + "\"}", true);
        assertEquals(201, r.statusCode(), r.body());
        assertEquals(2, get("/api/v1/silences").get("items").size());
    }
}
