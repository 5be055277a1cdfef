package io.orderwatch.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderwatch.model.Json;
import io.orderwatch.notify.slack.SlackStub;
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
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole application: an admin-API stub → pollers → detection → alert book → embedded broker →
 * Slack sink → a Slack Web API stub. A whole chain's exports failing (120 orders) is a handful of posts
 * in #order-export-problems, updated in place; a 429 is honoured; a restart posts nothing again; the
 * resolution is a thread reply and the message marked resolved.
 */
class SlackFlowTest {

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

    private Properties configured() {
        Properties p = TestApp.configuredOverrides(data, admin.baseUrl());
        p.setProperty("orderwatch.slack.token", "xoxb-test-token");
        p.setProperty("orderwatch.slack.api-url", slack.url());
        p.setProperty("orderwatch.delivery.retry-initial", "1s");
        return p;
    }

    @Test
    void aChainsStormIsAHandfulOfPostsUpdatedInPlaceAndResolvedInTheThread() throws Exception {
        admin = new AdminStub();
        slack = new SlackStub();
        OffsetDateTime t0 = OffsetDateTime.now().minusMinutes(30);
        for (int s = 0; s < 5; s++) {
            admin.store("st-nevis-" + s, "ch-nevis", "Невис", "ACTIVE", t0);
        }
        admin.store("st-zdr", "ch-zdr", "Здоровье", "ACTIVE", t0);
        admin.store("st-closed", "ch-zdr", "Здоровье", "DELETED", t0);
        for (int i = 0; i < 120; i++) {
            admin.order(String.valueOf(48230000 + i), "st-nevis-" + i % 5, "FAILED", null, t0.plusSeconds(i));
        }
        admin.order("48239001", "st-zdr", "ACKNOWLEDGED", "NO_STORE_SKU", t0);
        admin.order("48239002", "st-closed", "ACKNOWLEDGED", null, t0);
        slack.script("chat.postMessage", SlackStub.Answer.rateLimited(1));

        orderwatch = Orderwatch.create(Path.of("."), Map.of(), configured());
        orderwatch.start();
        var db = orderwatch.wiring().database();
        String exportId = slack.channelId("#order-export-problems");
        await().atMost(Duration.ofSeconds(90)).until(() -> storm().map(m -> m.text().contains(": 120")).orElse(false)
                && TestApp.count(db, "SELECT COUNT(*) FROM delivery WHERE state IN ('PENDING', 'SENDING')") == 0);

        List<SlackStub.Call> posts = slack.calls("chat.postMessage");
        long exportPosts = posts.stream().filter(c -> c.channel().equals("#order-export-problems")).count();
        assertTrue(exportPosts >= 1 && exportPosts <= 10, "120 export failures of one chain: " + exportPosts + " posts");
        assertEquals(1, posted("#order-items-connections"));
        assertEquals(1, posted("#order-in-deleted-store"));
        SlackStub.Call limited = posts.get(0);
        SlackStub.Call retried = posts.stream().skip(1).filter(c -> c.channel().equals(limited.channel())).findFirst().orElseThrow();
        assertTrue(Duration.between(limited.at(), retried.at()).toMillis() >= 950, "Retry-After: 1 honoured");

        // every order is findable: the ledger names the message that covers it
        JsonNode deliveries = get("/api/v1/deliveries?orderId=48230077");
        assertEquals("SENT", deliveries.path("items").path(0).path("state").asText(), deliveries.toString());
        assertTrue(deliveries.path("items").path(0).path("peerRef").asText().startsWith(exportId + ":"), deliveries.toString());
        JsonNode alert = get("/api/v1/alerts/EXPORT_FAILED:48230077");
        assertEquals("FIRING", alert.path("alert").path("state").asText());
        assertTrue(alert.path("deliveries").size() >= 1);

        int mgmt = orderwatch.settings().managementPort();
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + mgmt + "/observe/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.contains("orderwatch_deliveries_total{outcome=\"sent\",sink=\"slack\",target=\"#order-export-problems\"}"), metrics);
        assertTrue(metrics.contains("orderwatch_deliveries_total{outcome=\"retry\",sink=\"slack\""), "the 429 is counted as a retry");
        assertTrue(metrics.contains("orderwatch_delivery_backlog{sink=\"slack\"} 0.0"), "backlog per sink");
        assertTrue(metrics.contains("orderwatch_delivery_oldest_pending_seconds{sink=\"slack\"}"), "oldest pending age per sink");
        assertTrue(metrics.contains("orderwatch_dead_letters 0.0") && metrics.contains("orderwatch_deliveries_failed 0.0"), "dead letters");
        assertTrue(!metrics.contains("xoxb-") && !metrics.contains("+7980"), "no token, no phone");

        int callsBefore = slack.calls().size();
        orderwatch.stop();
        orderwatch = Orderwatch.create(Path.of("."), Map.of(), configured());
        orderwatch.start();
        var db2 = orderwatch.wiring().database();
        long restarted = System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).until(() -> System.nanoTime() - restarted > Duration.ofSeconds(5).toNanos());
        assertEquals(callsBefore, slack.calls().size(), "a restart posts nothing again");

        OffsetDateTime t1 = OffsetDateTime.now();
        for (int i = 0; i < 120; i++) {
            admin.order(String.valueOf(48230000 + i), "st-nevis-" + i % 5, "ACKNOWLEDGED", null, t1.plusSeconds(i % 3));
        }
        await().atMost(Duration.ofSeconds(90)).until(() -> storm().map(m -> m.text().startsWith("✅")).orElse(false)
                && TestApp.count(db2, "SELECT COUNT(*) FROM delivery WHERE state IN ('PENDING', 'SENDING')") == 0);
        SlackStub.Stored storm = storm().orElseThrow();
        List<SlackStub.Call> replies = slack.calls("chat.postMessage").stream().filter(c -> c.params().get("thread_ts") != null).toList();
        assertTrue(!replies.isEmpty(), "resolution is told in the thread");
        assertTrue(replies.stream().allMatch(r -> r.channel().equals(exportId)), "replies by channel id");
        assertTrue(replies.stream().anyMatch(r -> r.params().get("thread_ts").equals(storm.ts())), "in the storm message's thread");
        assertTrue(replies.get(0).params().get("text").startsWith("✅ Решено: заказ 4823"), replies.get(0).params().get("text"));
        long postsAfter = slack.calls("chat.postMessage").stream().filter(c -> c.params().get("thread_ts") == null).count();
        assertEquals(posts.size(), postsAfter, "no post made again, before or after the restart");
        assertEquals(slack.messages().stream().filter(m -> m.threadTs() == null).count(),
                slack.messages().stream().filter(m -> m.threadTs() == null).map(SlackStub.Stored::marker).distinct().count(),
                "each delivery is one message in Slack");
    }

    /** Messages in a channel (by name): what Slack kept, not the attempts. */
    private long posted(String channel) {
        String id = slack.channelId(channel);
        return slack.messages().stream().filter(m -> m.channelId().equals(id) && m.threadTs() == null).count();
    }

    private java.util.Optional<SlackStub.Stored> storm() {
        return slack.messages().stream().filter(m -> m.threadTs() == null && m.text() != null && m.text().contains("Невис")
                && m.text().contains("Заказы не переданы")).findFirst();
    }

    private JsonNode get(String path) throws Exception {
        int port = orderwatch.settings().httpPort();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer api-secret").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return Json.mapper().readTree(r.body());
    }
}
