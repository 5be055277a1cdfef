package io.orderwatch.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.orderwatch.app.TestApp;
import io.orderwatch.app.Orderwatch;
import io.orderwatch.model.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's example route, switched on: alert changes arrive at a webhook as JSON; a 500 is retried. */
class ForwardAlertsWebhookTest {

    @TempDir
    Path data;

    private Orderwatch orderwatch;
    private HttpServer webhook;

    @AfterEach
    void stop() {
        if (orderwatch != null) {
            orderwatch.stop();
        }
        if (webhook != null) {
            webhook.stop(0);
        }
    }

    @Test
    void alertChangesArriveAtTheWebhookAndFailuresAreRetried() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        int[] calls = {0};
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/hook", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            int status;
            synchronized (calls) {
                status = calls[0]++ == 0 ? 500 : 204; // the first delivery fails: the broker redelivers
            }
            if (status == 204) {
                received.add(new String(body, java.nio.charset.StandardCharsets.UTF_8));
            }
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        webhook.start();

        Properties p = TestApp.demoOverrides(data);
        p.setProperty("orderwatch.example.webhook.enabled", "true");
        p.setProperty("orderwatch.example.webhook.url", "http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook");
        p.setProperty("orderwatch.broker.redelivery-delay", "1s");
        orderwatch = Orderwatch.create(Path.of("."), Map.of(), p);
        orderwatch.start();

        await().atMost(Duration.ofSeconds(60)).until(() -> received.size() >= 6);
        JsonNode event = Json.mapper().readTree(received.get(0));
        assertTrue(event.get("eventId").asText().startsWith("STUCK_ORDER:"), received.get(0));
        assertEquals("FIRING", event.get("alert").get("state").asText());
        assertTrue(calls[0] > received.size(), "the failed delivery was retried, not dropped");
    }
}
