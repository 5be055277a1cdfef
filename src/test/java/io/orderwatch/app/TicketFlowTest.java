package io.orderwatch.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderwatch.model.Json;
import io.orderwatch.notify.tickets.HelpdeskStub;
import io.orderwatch.testing.AdminStub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Properties;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole application: an admin-API stub → pollers → detection → alert book → embedded broker →
 * tickets sink → the reference helpdesk stub. A courier order three hours past its planned delivery is
 * one ticket despite a 503 and a restart; its status is read afresh; resolving it is one comment.
 */
class TicketFlowTest {

    @TempDir
    Path data;

    private AdminStub admin;
    private HelpdeskStub helpdesk;
    private Orderwatch orderwatch;
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        TestApp.stop(orderwatch, admin, helpdesk);
    }

    private Properties configured() {
        Properties p = TestApp.configuredOverrides(data, admin.baseUrl());
        p.setProperty("orderwatch.helpdesk.kind", "reference");
        p.setProperty("orderwatch.helpdesk.url", helpdesk.url());
        p.setProperty("orderwatch.helpdesk.token", "hd-secret");
        p.setProperty("orderwatch.tickets.escalate-ms", "1000");
        p.setProperty("orderwatch.delivery.retry-initial", "1s");
        return p;
    }

    static String courierOrder(String id, String status, OffsetDateTime planned, OffsetDateTime updated) {
        return "{\"id\":\"" + id + "\",\"invoiceNumber\":\"ЛО-2611-004417\",\"source\":\"app\",\"createdAt\":\"" + planned.minusDays(1)
                + "\",\"updatedAt\":\"" + updated + "\",\"status\":\"" + status + "\",\"statusChangedAt\":\"" + planned.minusHours(2)
                + "\",\"deliveryType\":\"COURIER\",\"plannedDeliveryAt\":\"" + planned + "\",\"storeId\":\"st-1\",\"region\":\"Москва\","
                + "\"city\":\"Москва\",\"customer\":{\"name\":\"Анна\",\"phone\":\"+79806561461\",\"email\":\"anna@example.org\"},"
                + "\"amount\":1874.5,\"items\":[{\"lineId\":\"1\",\"productId\":\"p-1\",\"name\":\"Нурофен\",\"quantity\":1,\"price\":1874.5,"
                + "\"storeSku\":\"S-1\",\"linkError\":null}],\"export\":{\"state\":\"ACKNOWLEDGED\",\"system\":\"SBIS\",\"attempts\":1,"
                + "\"lastAttemptAt\":\"" + planned.minusDays(1) + "\",\"error\":null},\"courier\":{\"service\":\"Сберлогистика\",\"trackingNumber\":\"TRK1\"}}";
    }

    @Test
    void aLateCourierOrderIsOneTicketDespiteA503AndARestartAndItsResolutionOneComment() throws Exception {
        admin = new AdminStub();
        helpdesk = new HelpdeskStub("hd-secret");
        OffsetDateTime t0 = OffsetDateTime.now().minusMinutes(30);
        OffsetDateTime planned = OffsetDateTime.now().minusHours(3);
        admin.store("st-1", "ch-nevis", "Невис", "ACTIVE", t0);
        admin.orderJson("48231192", t0, courierOrder("48231192", "IN_DELIVERY", planned, t0));
        helpdesk.script(HelpdeskStub.Script.UNAVAILABLE_503);

        orderwatch = Orderwatch.create(Path.of("."), Map.of(), configured());
        orderwatch.start();
        var db = orderwatch.wiring().database();
        await().atMost(Duration.ofSeconds(60)).until(() -> TestApp.count(db,
                "SELECT COUNT(*) FROM delivery WHERE sink = 'tickets' AND state = 'SENT'") == 1);
        assertEquals(1, helpdesk.tickets().size());
        assertTrue(helpdesk.calls().size() >= 2, "the 503 was tried again");
        JsonNode t = helpdesk.tickets().get(0);
        assertEquals("STUCK_ORDER:48231192", t.path("externalId").asText());
        assertEquals("Курьерская доставка — статус заказа", t.path("category").asText());
        assertTrue(t.path("subject").asText().startsWith("Статус заказа / Курьерская доставка / 48231192 / ЛО-2611-004417 / "), t.toString());
        assertTrue(t.path("subject").asText().endsWith(" / 1874.50 / Сберлогистика / Москва"), t.toString());
        assertEquals("+79806561461", t.path("phone").asText());
        assertEquals("high", t.path("priority").asText());
        assertTrue(t.path("body").asText().contains("Статус в админке на момент обращения: В доставке"), t.toString());
        assertTrue(t.path("body").asText().contains("нет, обращение создано автоматически"), t.toString());

        JsonNode alert = get("/api/v1/alerts/STUCK_ORDER:48231192");
        assertTrue(alert.path("deliveries").toString().contains("\"peerRef\":\"T-1043\""), alert.toString());

        int callsBefore = helpdesk.calls().size();
        orderwatch.stop();
        orderwatch = Orderwatch.create(Path.of("."), Map.of(), configured());
        orderwatch.start();
        var db2 = orderwatch.wiring().database();
        long restarted = System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).until(() -> System.nanoTime() - restarted > Duration.ofSeconds(5).toNanos());
        assertEquals(callsBefore, helpdesk.calls().size(), "a restart opens nothing again");

        OffsetDateTime t1 = OffsetDateTime.now();
        admin.orderJson("48231192", t1, courierOrder("48231192", "COMPLETED", planned, t1));
        await().atMost(Duration.ofSeconds(60)).until(() -> helpdesk.comments().size() == 1
                && TestApp.count(db2, "SELECT COUNT(*) FROM delivery WHERE sink = 'tickets' AND state IN ('PENDING', 'SENDING')") == 0);
        assertEquals("T-1043", helpdesk.comments().get(0).path("ticket").asText());
        assertTrue(helpdesk.comments().get(0).path("text").asText().startsWith("Проблема решена автоматически: заказ 48231192"),
                helpdesk.comments().get(0).toString());
        assertEquals(1, helpdesk.tickets().size(), "exactly one ticket");
    }

    private JsonNode get(String path) throws Exception {
        int port = orderwatch.settings().httpPort();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer api-secret").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return Json.mapper().readTree(r.body());
    }
}
