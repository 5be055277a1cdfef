package io.orderwatch.app;

import io.orderwatch.alert.AlertOutbox;
import io.orderwatch.broker.EmbeddedBroker;
import io.orderwatch.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded broker stopped and started again (same journal) under a running orderwatch in the middle
 * of a fan-out: a first wave of alerts is on its way through orderwatch.alerts to the sinks' queues and
 * the peers, a second wave is detected while the broker is down. orderwatch reconnects by itself (the
 * sinks' consumers and the publisher), health says the broker is down meanwhile, and every alert
 * reaches the Slack stub and the helpdesk stub exactly once.
 */
class BrokerRestartTest {

    private static final int WAVE = 6;

    @TempDir
    Path data;

    private FaultPeers peers;
    private Orderwatch orderwatch;

    @AfterEach
    void stop() {
        if (orderwatch != null) {
            orderwatch.stop();
        }
        if (peers != null) {
            peers.close();
        }
    }

    @Test
    void theEmbeddedBrokerRestartedMidFanOutLosesAndDuplicatesNothing() throws Exception {
        peers = new FaultPeers();
        peers.stores(2 * WAVE);
        peers.orders(0, WAVE);
        Properties p = peers.configured(data);
        p.setProperty("orderwatch.broker.redelivery-delay", "200ms");
        orderwatch = Orderwatch.create(Path.of("."), Map.of(), p);
        orderwatch.start();
        Database db = orderwatch.wiring().database();
        EmbeddedBroker broker = orderwatch.wiring().embeddedBroker().orElseThrow();
        AlertOutbox outbox = (AlertOutbox) orderwatch.wiring().bean("alertOutbox").orElseThrow();

        // mid fan-out: the first messages are in Slack, the rest of the wave on the queues or in the ledger
        await().atMost(Duration.ofSeconds(30)).until(() -> !peers.slack.messages().isEmpty());
        broker.close();
        assertTrue(!broker.isActive());
        long down = System.nanoTime();
        peers.orders(WAVE, WAVE);
        // the second wave is detected and waits in the outbox while the broker is away; health says so
        await().atMost(Duration.ofSeconds(20)).until(() -> outbox.pendingCount() > 0 && health().statusCode() == 503);
        String during = health().body();
        assertTrue(during.contains("\"broker\",\"status\":\"DOWN\""), during);
        broker.start();
        long up = System.nanoTime();

        int alerts = 2 * WAVE;
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> outbox.pendingCount() == 0);
            System.out.printf("the outbox was published %d ms after the broker was back; health %d%n", (System.nanoTime() - up) / 1_000_000,
                    health().statusCode());
            await().atMost(Duration.ofSeconds(30)).until(() -> TestApp.count(db, "SELECT COUNT(*) FROM delivery WHERE sink = 'slack' AND operation = 'post'") >= alerts);
            System.out.printf("the Slack sink had taken every alert %d ms after the broker was back%n", (System.nanoTime() - up) / 1_000_000);
            await().atMost(Duration.ofSeconds(60)).until(() -> peers.arrived(alerts) && outbox.pendingCount() == 0
                    && TestApp.count(db, "SELECT COUNT(*) FROM delivery WHERE state IN ('PENDING', 'SENDING')") == 0
                    && health().statusCode() == 200
                    // every consumer back: a JMS listener that lost its connection retries every few seconds,
                    // so the dead-letter collector can come back after health is 200 already
                    && queues(broker).indexOf('!') < 0);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("after the broker's restart: " + peers.slack.messages().size() + " Slack messages, " + peers.helpdesk.tickets().size()
                    + " tickets, " + outbox.pendingCount() + " alert changes unpublished, " + FaultPeers.ledger(db) + ", " + queues(broker), e);
        }
        System.out.printf("broker down %d ms; everything delivered and healthy %d ms after it was back%n",
                (up - down) / 1_000_000, (System.nanoTime() - up) / 1_000_000);
        peers.check(db, alerts);
        assertEquals(alerts, peers.helpdesk.calls().stream().filter(c -> c.path().equals("/api/v1/tickets")).count(), "no ticket asked for twice");
        assertEquals(0, queues(broker).chars().filter(ch -> ch == '!').count(), queues(broker));
    }

    /** The sinks' queues: a '!' marks one with messages left or without its consumer. */
    private static String queues(EmbeddedBroker broker) {
        StringBuilder b = new StringBuilder();
        for (String q : List.of("orderwatch.alerts.slack", "orderwatch.alerts.tickets", "orderwatch.alerts.email", "DLQ.orderwatch.alerts")) {
            var queue = broker.server().locateQueue(q);
            long messages = queue == null ? -1 : queue.getMessageCount();
            long consumers = queue == null ? 0 : queue.getConsumerCount();
            b.append(q).append(": ").append(messages).append(" messages, ").append(consumers).append(" consumers")
                    .append(messages != 0 || consumers != 1 ? " !" : "").append("; ");
        }
        return b.toString();
    }

    private HttpResponse<String> health() throws Exception {
        return FaultPeers.health(orderwatch.settings().managementPort());
    }
}
