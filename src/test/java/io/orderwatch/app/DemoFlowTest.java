package io.orderwatch.app;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole application in demo mode, as the README's first command runs it: the built-in simulator
 * over real HTTP → pollers → stuck-order detection → alert book → embedded broker → e-mail sink →
 * a well-formed .eml digest in the outbox. Only the schedules are faster.
 */
class DemoFlowTest {

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
    void stuckOrdersReachTheEmailOutboxThroughTheBroker() throws Exception {
        Properties overrides = TestApp.demoOverrides(data);
        orderwatch = Orderwatch.create(Path.of("."), Map.of(), overrides);
        orderwatch.start();
        Path outbox = data.resolve("outbox").resolve("email");

        // within a minute: a digest, a composition-change e-mail and a city e-mail
        await().atMost(Duration.ofSeconds(60)).until(() -> emlFiles(outbox).stream().map(p -> p.getFileName().toString())
                .filter(n -> n.contains("-stuck-digest-") || n.contains("-composition-change-") || n.contains("-city-digest-"))
                .map(n -> n.replaceAll(".*-(stuck-digest|composition-change|city-digest)-.*", "$1")).distinct().count() == 3);
        // the Slack outbox: one JSON file per Web API call that would be made, the team's channels among them
        Path slack = data.resolve("outbox").resolve("slack");
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            try (Stream<Path> files = Files.isDirectory(slack) ? Files.list(slack) : Stream.empty()) {
                return files.count() >= 3;
            }
        });
        String posts;
        try (Stream<Path> files = Files.list(slack)) {
            posts = files.sorted().map(p -> {
                try {
                    return Files.readString(p);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).reduce("", String::concat);
        }
        assertTrue(posts.contains("\"method\": \"chat.postMessage\"") && posts.contains("#order-export-problems")
                && posts.contains("#order-items-connections") && posts.contains("#order-in-deleted-store"), posts);
        Path eml = emlFiles(outbox).stream().filter(p -> p.getFileName().toString().contains("-stuck-digest-")).findFirst().orElseThrow();
        MimeMessage message;
        try (InputStream in = Files.newInputStream(eml)) {
            message = new MimeMessage(Session.getInstance(new Properties()), in);
        }
        assertTrue(message.getSubject().startsWith("Зависшие заказы: "), message.getSubject());
        assertEquals("support-team@demo.orderwatch.local", message.getAllRecipients()[0].toString());
        assertTrue(message.getMessageID().startsWith("<stuck-digest-"), message.getMessageID());
        MimeMultipart parts = (MimeMultipart) message.getContent();
        String text = (String) parts.getBodyPart(0).getContent();
        String html = (String) parts.getBodyPart(1).getContent();
        assertTrue(text.contains("Заказ ") && text.contains("лимит"), text);
        assertTrue(html.contains("<a href=\"") && html.contains("/orders/"), html);

        int mgmt = Integer.parseInt(overrides.getProperty("orderwatch.management.port"));
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(20)).until(() -> get(http, mgmt, "/observe/health").statusCode() == 200);
        HttpResponse<String> health = get(http, mgmt, "/observe/health?exposureLevel=full");
        assertTrue(health.body().contains("\"broker\"") && health.body().contains("\"database\"") && health.body().contains("\"admin-api\""),
                health.body());
        HttpResponse<String> metrics = get(http, mgmt, "/observe/metrics");
        assertTrue(metrics.body().contains("orderwatch_alerts_firing{kind=\"STUCK_ORDER\"}")
                || metrics.body().contains("orderwatch_alert_changes_total{kind=\"STUCK_ORDER\""), "orderwatch metrics are served");
        assertTrue(metrics.body().contains("orderwatch_orders_seen_total"), "orders seen are counted");
        assertTrue(metrics.body().contains("orderwatch_deliveries_total{outcome=\"outbox\",sink=\"email\",target=\"stuck-digest\"}"), "deliveries are counted");
        assertTrue(!metrics.body().contains("Bearer") && !metrics.body().contains("+79"), "no secrets or phones in metrics");
    }

    @Test
    void restartResumesWithoutRefiringOrResending() throws Exception {
        Properties overrides = TestApp.demoOverrides(data);
        overrides.setProperty("orderwatch.demo.digest-cron", "0 0 0 1 1 ? 2099"); // no digest in this test
        orderwatch = Orderwatch.create(Path.of("."), Map.of(), overrides);
        orderwatch.start();
        var db = orderwatch.wiring().database();
        await().atMost(Duration.ofSeconds(60)).until(() -> TestApp.count(db, "SELECT COUNT(*) FROM alert_event WHERE published_at IS NOT NULL") >= 6);
        await().atMost(Duration.ofSeconds(20)).until(() -> TestApp.count(db, "SELECT COUNT(*) FROM sink_alert WHERE sink = 'email'") >= 6);
        long firingBefore = TestApp.count(db, "SELECT COUNT(*) FROM alert WHERE state = 'FIRING' AND kind = 'STUCK_ORDER'");
        long eventsBefore = TestApp.count(db, "SELECT COUNT(*) FROM alert_event");
        long firstVersions = TestApp.count(db, "SELECT COUNT(*) FROM alert WHERE state = 'FIRING' AND kind = 'STUCK_ORDER' AND version = 1");
        orderwatch.stop();

        // same data dir, new ports: the journal, the database and the outbox carry over
        Properties again = TestApp.demoOverrides(data);
        again.setProperty("orderwatch.demo.digest-cron", "0 0 0 1 1 ? 2099");
        orderwatch = Orderwatch.create(Path.of("."), Map.of(), again);
        orderwatch.start();
        var db2 = orderwatch.wiring().database();
        await().atMost(Duration.ofSeconds(30)).until(() -> TestApp.count(db2, "SELECT COUNT(*) FROM source_watermark") == 2);
        // a few poll cycles over the same (restarted, re-seeded) world
        long polledAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).until(() -> System.nanoTime() - polledAt > Duration.ofSeconds(4).toNanos());
        assertEquals(firstVersions, TestApp.count(db2, "SELECT COUNT(*) FROM alert WHERE state = 'FIRING' AND kind = 'STUCK_ORDER' AND version = 1"),
                "the same stuck orders seen again after a restart are the same alerts, not new ones");
        assertTrue(TestApp.count(db2, "SELECT COUNT(*) FROM alert WHERE state = 'FIRING' AND kind = 'STUCK_ORDER'") >= firingBefore);
        assertEquals(0, TestApp.count(db2, "SELECT COUNT(*) FROM alert_event WHERE published_at IS NULL AND seq <= " + eventsBefore),
                "every change recorded before the restart was published");
    }

    private static HttpResponse<String> get(HttpClient http, int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<Path> emlFiles(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".eml")).sorted().toList();
        }
    }
}
