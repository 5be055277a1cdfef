package io.orderwatch.app;

import org.junit.jupiter.api.AfterEach;
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

/** A body over orderwatch.http.max-body-bytes is answered 413 on the intake and the API; the next request is served. */
class BodyLimitTest {

    @TempDir
    Path data;

    private Orderwatch orderwatch;

    @AfterEach
    void stop() {
        if (orderwatch != null) {
            orderwatch.stop();
        }
    }

    @Test
    void aBodyOverTheLimitIs413AndNothingElseSuffers() throws Exception {
        Properties p = TestApp.demoOverrides(data);
        p.setProperty("orderwatch.http.max-body-bytes", "65536");
        orderwatch = Orderwatch.create(Path.of("."), Map.of(), p);
        orderwatch.start();
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + orderwatch.settings().httpPort();
        String big = "[" + "{\"eventId\":\"e\"},".repeat(10_000) + "{}]";
        for (String path : java.util.List.of("/api/v1/events", "/api/v1/silences")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(big)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(413, r.statusCode(), path + ": " + r.body());
        }
        HttpResponse<String> small = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/events")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("[]")).build(), HttpResponse.BodyHandlers.ofString());
        org.junit.jupiter.api.Assertions.assertNotEquals(413, small.statusCode(), "a body within the limit is read and judged: " + small.body());
        assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/alerts")).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode(), "the API goes on serving");
    }
}
