package io.orderwatch.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderwatch.notify.slack.SlackStub;
import io.orderwatch.notify.tickets.HelpdeskStub;
import io.orderwatch.testing.AdminStub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
 * The whole application against peers that fail the way real ones do, counting what each peer got
 * against what was detected: Slack rate-limiting (429 with Retry-After) and then failing (500) before it
 * answers; a helpdesk that creates the ticket and answers after orderwatch has stopped waiting (the
 * reference API and Usedesk). Nothing is lost, nothing is sent twice.
 */
class PeerFaultsFlowTest {

    @TempDir
    Path data;

    private AdminStub admin;
    private SlackStub slack;
    private HelpdeskStub helpdesk;
    private Orderwatch orderwatch;

    @AfterEach
    void stop() {
        TestApp.stop(orderwatch, admin, slack, helpdesk);
    }

    private void start(Properties p) throws Exception {
        orderwatch = Orderwatch.create(Path.of("."), Map.of(), p);
        orderwatch.start();
    }

    @Test
    void slackRateLimitingThenFailingThenAnsweringGetsEveryAlertPostedExactlyOnce() throws Exception {
        admin = new AdminStub();
        slack = new SlackStub();
        OffsetDateTime t0 = OffsetDateTime.now().minusMinutes(30);
        List<String> orders = List.of("48231001", "48231002", "48231003");
        for (int i = 0; i < orders.size(); i++) { // three chains: three messages in #order-items-connections
            admin.store("st-" + i, "ch-" + i, "Сеть " + i, "ACTIVE", t0);
            admin.order(orders.get(i), "st-" + i, "ACKNOWLEDGED", "NO_STORE_SKU", t0.plusSeconds(i));
        }
        slack.script("chat.postMessage", SlackStub.Answer.rateLimited(2), SlackStub.Answer.rateLimited(2),
                SlackStub.Answer.serverError(), SlackStub.Answer.serverError());
        Properties p = TestApp.configuredOverrides(data, admin.baseUrl());
        p.setProperty("orderwatch.slack.token", "xoxb-test-token");
        p.setProperty("orderwatch.slack.api-url", slack.url());
        p.setProperty("orderwatch.delivery.retry-initial", "1s");
        start(p);
        var db = orderwatch.wiring().database();
        await().atMost(Duration.ofSeconds(60)).until(() -> slack.messages().size() == 3
                && TestApp.count(db, "SELECT COUNT(*) FROM delivery WHERE sink = 'slack' AND state IN ('PENDING', 'SENDING')") == 0);

        List<SlackStub.Call> posts = slack.calls("chat.postMessage");
        assertEquals(3 + 4, posts.size(), "three posts, four of them failed first: " + posts.size());
        for (int i = 1; i <= 2; i++) {
            long gap = Duration.between(posts.get(i - 1).at(), posts.get(i).at()).toMillis();
            assertTrue(gap >= 1950, "Retry-After 2 honoured after 429 #" + i + ": " + gap + " ms");
        }
        long afterFirst500 = Duration.between(posts.get(2).at(), posts.get(3).at()).toMillis();
        long afterSecond500 = Duration.between(posts.get(3).at(), posts.get(4).at()).toMillis();
        assertTrue(afterFirst500 >= 950, "a 500 is tried again after a backoff, not at once: " + afterFirst500 + " ms");
        assertTrue(afterSecond500 >= afterFirst500 - 100, "the backoff grows: " + afterFirst500 + " ms, then " + afterSecond500 + " ms");
        for (String order : orders) {
            long shown = slack.messages().stream().filter(m -> m.text() != null && m.text().contains(order)).count();
            assertEquals(1, shown, "order " + order + " is in exactly one message");
        }
        assertEquals(3, slack.messages().stream().map(SlackStub.Stored::marker).distinct().count(), "each delivery one message");
        assertEquals(3, TestApp.count(db, "SELECT COUNT(*) FROM delivery WHERE sink = 'slack' AND state = 'SENT'"));
        assertEquals(0, TestApp.count(db, "SELECT COUNT(*) FROM delivery WHERE state = 'FAILED'"), "nothing given up on");
        assertEquals(7, TestApp.count(db, "SELECT SUM(attempts) FROM delivery WHERE sink = 'slack'"), "every attempt in the ledger");
    }

    /**
     * A courier order three hours late (a ticket is due) and a helpdesk of the kind that creates the
     * ticket, then answers 3 s later while orderwatch waits 1 s.
     */
    private void lateOrderAndASlowHelpdesk(String kind) throws Exception {
        admin = new AdminStub();
        helpdesk = new HelpdeskStub("hd-secret");
        OffsetDateTime t0 = OffsetDateTime.now().minusMinutes(30);
        admin.store("st-1", "ch-nevis", "Невис", "ACTIVE", t0);
        lateCourierOrder("IN_DELIVERY", t0);
        helpdesk.script(HelpdeskStub.Script.CREATE_THEN_SLOW);
        Properties p = TestApp.configuredOverrides(data, admin.baseUrl());
        p.setProperty("orderwatch.helpdesk.kind", kind);
        p.setProperty("orderwatch.helpdesk.url", helpdesk.url());
        p.setProperty("orderwatch.helpdesk.token", "hd-secret");
        p.setProperty("orderwatch.tickets.escalate-ms", "1000");
        p.setProperty("orderwatch.tickets.timeout", "1s");
        p.setProperty("orderwatch.delivery.retry-initial", "1s");
        start(p);
    }

    private void lateCourierOrder(String status, OffsetDateTime updated) {
        OffsetDateTime planned = OffsetDateTime.now().minusHours(3).withNano(0);
        admin.orderJson("48231192", updated, TicketFlowTest.courierOrder("48231192", status, planned, updated));
    }

    @Test
    void theReferenceHelpdeskAnsweringAfterTheTimeoutIsStillOneTicketFoundBy409AndOneComment() throws Exception {
        lateOrderAndASlowHelpdesk("reference");
        var db = orderwatch.wiring().database();
        await().atMost(Duration.ofSeconds(60)).until(() -> TestApp.count(db,
                "SELECT COUNT(*) FROM delivery WHERE sink = 'tickets' AND state = 'SENT'") == 1);
        assertEquals(1, helpdesk.tickets().size(), "one ticket");
        assertEquals(2, helpdesk.calls().stream().filter(c -> c.path().equals("/api/v1/tickets")).count(),
                "the in-doubt ticket is asked for again once (answered 409 with the existing id)");
        JsonNode alert = get("/api/v1/alerts/STUCK_ORDER:48231192");
        assertTrue(alert.path("deliveries").toString().contains("\"peerRef\":\"T-1043\""), alert.toString());

        OffsetDateTime t1 = OffsetDateTime.now();
        lateCourierOrder("COMPLETED", t1);
        await().atMost(Duration.ofSeconds(60)).until(() -> helpdesk.comments().size() == 1
                && TestApp.count(db, "SELECT COUNT(*) FROM delivery WHERE sink = 'tickets' AND state IN ('PENDING', 'SENDING')") == 0);
        assertEquals("T-1043", helpdesk.comments().get(0).path("ticket").asText(), "the comment goes to the ticket found by 409");
        assertEquals(1, helpdesk.tickets().size());
        assertEquals(1, helpdesk.calls().stream().filter(c -> c.path().endsWith("/comments")).count(), "one comment call");
    }

    @Test
    void anInDoubtUsedeskTicketGoesToTheDeadLettersInsteadOfASecondTicket() throws Exception {
        lateOrderAndASlowHelpdesk("usedesk");
        var db = orderwatch.wiring().database();
        await().atMost(Duration.ofSeconds(60)).until(() -> TestApp.count(db,
                "SELECT COUNT(*) FROM delivery WHERE sink = 'tickets' AND state = 'FAILED'") == 1);
        assertEquals(1, helpdesk.tickets().size(), "Usedesk has the ticket");
        assertEquals(1, helpdesk.calls().stream().filter(c -> c.path().equals("/create/ticket")).count(), "and it is not created again");
        JsonNode dead = get("/api/v1/dead-letters");
        assertTrue(dead.toString().contains("additional_id STUCK_ORDER:48231192"), "the dead letter says what to look up: " + dead);
        await().atMost(Duration.ofSeconds(30)).until(() -> TestApp.count(db,
                "SELECT COUNT(*) FROM alert WHERE kind = 'DELIVERY_FAILED' AND state = 'FIRING'") == 1);
        assertEquals(1, helpdesk.tickets().size(), "still one ticket");
    }

    private JsonNode get(String path) throws Exception {
        return TestApp.getJson(orderwatch, path);
    }
}
