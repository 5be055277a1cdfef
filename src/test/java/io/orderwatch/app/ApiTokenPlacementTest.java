package io.orderwatch.app;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Over real HTTP: the API token counts only in the Authorization header, never in the URL. */
class ApiTokenPlacementTest {

    @TempDir
    Path data;

    private Orderwatch orderwatch;
    private Properties props;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        props = TestApp.demoOverrides(data);
        props.setProperty("orderwatch.api.token", "url-token");
        props.setProperty("orderwatch.demo.tick-seconds", "3600");
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

    private int send(String method, String pathAndQuery, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + props.getProperty("orderwatch.http.port") + pathAndQuery));
        if (method.equals("POST")) {
            b.POST(HttpRequest.BodyPublishers.ofString("{\"eventId\":\"u-1\",\"type\":\"CITY_NOT_FOUND\",\"occurredAt\":\"2026-11-22T09:20:05+03:00\","
                    + "\"data\":{\"query\":\"Тверь\",\"platform\":\"ios\",\"contact\":null}}")).header("Content-Type", "application/json");
        } else {
            b.GET();
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void aTokenInTheQueryDoesNotAuthenticate() throws Exception {
        assertEquals(200, send("GET", "/api/v1/alerts?state=FIRING", "Bearer url-token"), "the header works, filters still apply");
        assertEquals(401, send("GET", "/api/v1/alerts?Authorization=Bearer%20url-token", null));
        assertEquals(401, send("GET", "/api/v1/alerts?state=FIRING&authorization=Bearer+url-token", null));
        assertEquals(401, send("GET", "/api/v1/alerts?Authoriz%61tion=Bearer%20url-token", null));
        assertEquals(401, send("GET", "/api/v1/silences?Authorization=Bearer%20url-token", null));
        assertEquals(401, send("POST", "/api/v1/events?Authorization=Bearer%20url-token", null));
        assertEquals(401, send("GET", "/api/v1/alerts?Authorization=Bearer%20url-token", "Bearer url-token"),
                "a token in the URL is refused even beside a good header");
        assertEquals(202, send("POST", "/api/v1/events", "Bearer url-token"));
    }
}
