package io.orderwatch.app;

import io.orderwatch.broker.BrokerTopology;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The event feed as order-events.md says: HTTP and broker, 202/400/401, one effect per eventId, also after a restart. */
class EventFeedTest {

    @TempDir
    Path data;

    private Orderwatch orderwatch;
    private Properties props;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        props = TestApp.demoOverrides(data);
        props.setProperty("orderwatch.api.token", "feed-token");
        props.setProperty("orderwatch.demo.tick-seconds", "3600"); // a quiet simulator: only our events
        props.setProperty("orderwatch.demo.digest-cron", "0 0 0 1 1 ? 2099");
        orderwatch = Orderwatch.create(Path.of("."), Map.of(), props);
        orderwatch.start();
    }

    @AfterEach
    void stop() {
        if (orderwatch != null) {
            orderwatch.stop();
        }
    }

    private HttpResponse<String> post(String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + props.getProperty("orderwatch.http.port") + "/api/v1/events"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private long count(String sql) {
        return TestApp.count(orderwatch.wiring().database(), sql);
    }

    static String city(String id, String query, String email) {
        return "{\"eventId\":\"" + id + "\",\"type\":\"CITY_NOT_FOUND\",\"occurredAt\":\"2026-11-22T09:20:05+03:00\","
                + "\"data\":{\"query\":\"" + query + "\",\"platform\":\"ios\",\"contact\":" + (email == null ? "null" : "{\"email\":\"" + email + "\"}") + "}}";
    }

    @Test
    void acceptsOnlyWithTheTokenAndRejectsABadBodyWhole() throws Exception {
        assertEquals(401, post(city("e-0", "Тверь", null), null).statusCode());
        assertEquals(401, post(city("e-0", "Тверь", null), "wrong").statusCode());

        String bad = "[" + city("e-1", "Тверь", null) + ",{\"eventId\":\"e-2\",\"type\":\"LOST\",\"occurredAt\":\"2026-11-22T09:20:05+03:00\",\"data\":{}}]";
        HttpResponse<String> r = post(bad, "feed-token");
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("event 1 (eventId e-2): type: unknown value \\\"LOST\\\""), r.body());
        assertEquals(400, post("{not json", "feed-token").statusCode());
        HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + props.getProperty("orderwatch.http.port")
                        + "/api/v1/events")).header("Authorization", "Bearer feed-token").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(city("e-9", "Тверь", null))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(415, form.statusCode(), "a body that is not declared JSON is refused clearly, not half-read");

        HttpResponse<String> ok = post("[" + city("e-3", "Верхняя Пышма", "a@example.org") + "," + city("e-4", "верхняя  пышма", "b@example.org") + ","
                + city("e-5", "Верхняя-Пышма", null) + "]", "feed-token");
        assertEquals(202, ok.statusCode(), ok.body());
        await().atMost(Duration.ofSeconds(20)).until(() -> count("SELECT COUNT(*) FROM processed_event") == 3);
        assertEquals(0, count("SELECT COUNT(*) FROM processed_event WHERE event_id = 'e-1'"), "none of a bad body was taken");
        assertEquals(1, count("SELECT COUNT(*) FROM alert WHERE kind = 'CITY_REQUEST'"), "three spellings, one city");
        String details = orderwatch.wiring().database().read(c -> {
            try (var ps = c.prepareStatement("SELECT details FROM alert WHERE fingerprint = 'CITY_REQUEST:верхняя пышма'"); var rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        });
        assertTrue(details.contains("\"city\":\"Верхняя Пышма\"") && details.contains("\"count\":3")
                && details.contains("a@example.org") && details.contains("b@example.org"), details);
    }

    @Test
    void aRepeatedEventIdHasNoFurtherEffectAlsoAfterARestartAndBrokerProducersWork() throws Exception {
        assertEquals(202, post(city("r-1", "Тверь", null), "feed-token").statusCode());
        await().atMost(Duration.ofSeconds(20)).until(() -> count("SELECT COUNT(*) FROM processed_event") == 1);
        assertEquals(202, post(city("r-1", "Тверь", null), "feed-token").statusCode(), "a retry is accepted");

        orderwatch.stop();
        props.setProperty("orderwatch.http.port", String.valueOf(TestPorts.free()));
        props.setProperty("orderwatch.management.port", String.valueOf(TestPorts.free()));
        orderwatch = Orderwatch.create(Path.of("."), Map.of(), props);
        orderwatch.start();
        assertEquals(202, post(city("r-1", "Тверь", null), "feed-token").statusCode());

        // an outside producer over AMQP 1.0 on the embedded broker's port
        int port = Integer.parseInt(props.getProperty("orderwatch.broker.port"));
        try (var c = new JmsConnectionFactory("amqp://127.0.0.1:" + port).createConnection()) {
            var s = c.createSession(false, jakarta.jms.Session.AUTO_ACKNOWLEDGE);
            s.createProducer(s.createQueue(BrokerTopology.EVENTS)).send(s.createTextMessage(city("r-2", "Тверь", null)));
            s.createProducer(s.createQueue(BrokerTopology.EVENTS)).send(s.createTextMessage("{\"eventId\":\"r-3\",\"type\":\"NOPE\"}"));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> count("SELECT COUNT(*) FROM processed_event") == 2);
        await().atMost(Duration.ofSeconds(20)).until(() -> count("SELECT COUNT(*) FROM quarantine WHERE source = 'events'") == 1);
        String details = orderwatch.wiring().database().read(c -> {
            try (var ps = c.prepareStatement("SELECT details FROM alert WHERE fingerprint = 'CITY_REQUEST:тверь'"); var rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        });
        assertTrue(details.contains("\"count\":2"), "r-1 counted once, r-2 once: " + details);
    }
}
