package io.orderwatch.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderwatch.model.Json;
import io.orderwatch.notify.slack.SlackStub;
import io.orderwatch.testing.AdminStub;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
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
 * Nothing silently lost, over HTTP: a delivery that failed for good and a broker message no sink could
 * read are both listed in /api/v1/dead-letters, behind the token, and can be replayed or discarded;
 * the failure raised DELIVERY_FAILED.
 */
class DeadLettersApiTest {

    @TempDir
    Path data;

    private AdminStub admin;
    private SlackStub slack;
    private Orderwatch orderwatch;
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        TestApp.stop(orderwatch, admin, slack);
    }

    @Test
    void failedDeliveriesAndUnreadableMessagesAreListedReplayedAndDiscarded() throws Exception {
        admin = new AdminStub();
        slack = new SlackStub();
        OffsetDateTime t0 = OffsetDateTime.now().minusMinutes(30);
        admin.store("st-1", "ch-a", "Аптека А", "ACTIVE", t0);
        admin.order("48231192", "st-1", "FAILED", null, t0);
        slack.script("chat.postMessage", SlackStub.Answer.error("not_in_channel"));
        Properties p = TestApp.configuredOverrides(data, admin.baseUrl());
        p.setProperty("orderwatch.slack.token", "xoxb-test-token");
        p.setProperty("orderwatch.slack.api-url", slack.url());
        p.setProperty("orderwatch.broker.max-delivery-attempts", "2");
        orderwatch = Orderwatch.create(Path.of("."), Map.of(), p);
        orderwatch.start();
        var db = orderwatch.wiring().database();

        await().atMost(Duration.ofSeconds(60)).until(() -> TestApp.count(db, "SELECT COUNT(*) FROM delivery WHERE state = 'FAILED'") == 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> TestApp.count(db,
                "SELECT COUNT(*) FROM alert WHERE kind = 'DELIVERY_FAILED' AND state = 'FIRING'") == 1);

        ConnectionFactory jms = (ConnectionFactory) orderwatch.wiring().bean("jmsConnectionFactory").orElseThrow();
        try (JMSContext ctx = jms.createContext(JMSContext.AUTO_ACKNOWLEDGE)) {
            ctx.createProducer().send(ctx.createTopic("orderwatch.alerts"), "this is not an alert event");
        }
        // the queue of every sink that consumes got it, and neither could read it
        await().atMost(Duration.ofSeconds(60)).until(() -> TestApp.count(db, "SELECT COUNT(*) FROM dead_letter WHERE state = 'DEAD'") == 3);

        assertEquals(401, send("GET", "/api/v1/dead-letters", null).statusCode(), "behind the token");
        JsonNode list = Json.mapper().readTree(send("GET", "/api/v1/dead-letters", "api-secret").body());
        assertEquals(4, list.path("items").size(), list.toString());
        JsonNode delivery = list.path("items").path(0);
        assertEquals("delivery", delivery.path("source").asText());
        assertEquals("slack", delivery.path("sink").asText());
        assertEquals("#order-export-problems", delivery.path("target").asText());
        assertTrue(delivery.path("error").asText().contains("not_in_channel"), delivery.toString());
        JsonNode message = null;
        for (JsonNode item : list.path("items")) {
            if ("orderwatch.alerts.slack".equals(item.path("queue").asText())) {
                message = item;
            }
        }
        assertEquals("broker", message.path("source").asText());
        assertEquals("this is not an alert event", message.path("payload").asText());

        // the delivery goes again and this time Slack takes it; DELIVERY_FAILED resolves
        assertEquals(202, send("POST", "/api/v1/dead-letters/" + delivery.path("id").asText() + "/replay", "api-secret").statusCode());
        await().atMost(Duration.ofSeconds(30)).until(() -> slack.messages().size() == 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> TestApp.count(db,
                "SELECT COUNT(*) FROM alert WHERE kind = 'DELIVERY_FAILED' AND state = 'RESOLVED'") == 1);

        // the unreadable message is handed to the Slack sink again: it still cannot be read, so it stays a dead letter
        HttpResponse<String> replay = send("POST", "/api/v1/dead-letters/" + message.path("id").asText() + "/replay", "api-secret");
        assertEquals(409, replay.statusCode(), replay.body());
        assertTrue(replay.body().contains("still a dead letter"), replay.body());
        JsonNode again = Json.mapper().readTree(send("GET", "/api/v1/dead-letters", "api-secret").body());
        assertEquals(3, again.path("items").size(), again.toString());
        for (JsonNode item : again.path("items")) {
            String id = item.path("id").asText();
            assertEquals(204, send("DELETE", "/api/v1/dead-letters/" + id, "api-secret").statusCode());
            assertEquals(404, send("DELETE", "/api/v1/dead-letters/" + id, "api-secret").statusCode(), "discarded once");
        }
        assertEquals(0, Json.mapper().readTree(send("GET", "/api/v1/dead-letters", "api-secret").body()).path("items").size());
        assertEquals(404, send("POST", "/api/v1/dead-letters/delivery-999/replay", "api-secret").statusCode());

        JsonNode sent = Json.mapper().readTree(send("GET", "/api/v1/deliveries?sink=slack&state=SENT", "api-secret").body());
        assertEquals(1, sent.path("items").size(), sent.toString());
        assertEquals(400, send("GET", "/api/v1/deliveries?state=LOST", "api-secret").statusCode());
    }

    private HttpResponse<String> send(String method, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + orderwatch.settings().httpPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
