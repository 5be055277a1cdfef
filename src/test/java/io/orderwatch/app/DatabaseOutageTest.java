package io.orderwatch.app;

import io.orderwatch.store.Database;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PostgreSQL stopped for a few seconds and started again (same data directory, same port) under a running
 * orderwatch, while alerts are on their way to Slack and the helpdesk and more are due to be detected:
 * health says the database is down meanwhile, and afterwards orderwatch carries on by itself (polls
 * resume, what waited goes out), every alert reaching each peer exactly once.
 */
class DatabaseOutageTest {

    private static final int WAVE = 5;

    @TempDir
    Path data;
    @TempDir
    Path pgData;

    private EmbeddedPostgres postgres;
    private int pgPort;
    private FaultPeers peers;
    private Orderwatch orderwatch;

    @AfterEach
    void stop() throws Exception {
        if (postgres == null && pgPort != 0) {
            postgres = startPostgres(); // a test that failed during the outage: orderwatch stops against a database
        }
        if (orderwatch != null) {
            orderwatch.stop();
        }
        if (postgres != null) {
            postgres.close();
        }
        if (peers != null) {
            peers.close();
        }
    }

    private EmbeddedPostgres startPostgres() throws Exception {
        return EmbeddedPostgres.builder().setDataDirectory(pgData).setCleanDataDirectory(false).setPort(pgPort).start();
    }

    @Test
    void postgresStoppedAndStartedUnderARunningOrderwatchLosesAndDuplicatesNothing() throws Exception {
        pgPort = TestPorts.free();
        postgres = startPostgres();
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE orderwatch");
        }
        peers = new FaultPeers();
        peers.stores(2 * WAVE);
        peers.orders(0, WAVE);
        Properties p = peers.configured(data);
        p.setProperty("orderwatch.db.url", postgres.getJdbcUrl("postgres", "orderwatch"));
        p.setProperty("orderwatch.db.user", "postgres");
        // a delivery whose answer could not be recorded during the outage is taken up again this soon (in doubt)
        p.setProperty("orderwatch.delivery.claim-timeout", "3s");
        orderwatch = Orderwatch.create(Path.of("."), Map.of(), p);
        orderwatch.start();
        Database db = orderwatch.wiring().database();

        // mid delivery: the first messages are in Slack, the rest of the first wave in the ledger
        await().atMost(Duration.ofSeconds(30)).until(() -> !peers.slack.messages().isEmpty());
        postgres.close();
        postgres = null;
        peers.orders(WAVE, WAVE);
        long down = System.nanoTime();
        // a few seconds without the database; health answers 503 and names it meanwhile
        // a health request that gets no answer within its 10 s is asked again (seen once in a loaded CI run;
        // which check held it is not known yet): what is asserted is the 503 naming the database
        java.util.concurrent.atomic.AtomicReference<HttpResponse<String>> answer = new java.util.concurrent.atomic.AtomicReference<>();
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(40)).until(() -> {
            long asked = System.nanoTime();
            try {
                answer.set(health());
            } catch (java.net.http.HttpTimeoutException e) {
                System.out.printf("health during the outage: no answer within 10 s%n");
                return false;
            }
            System.out.printf("health during the outage answered %d in %d ms%n", answer.get().statusCode(), (System.nanoTime() - asked) / 1_000_000);
            return answer.get().statusCode() == 503;
        });
        String during = answer.get().body();
        assertTrue(during.contains("\"database\",\"status\":\"DOWN\""), during);
        postgres = startPostgres();
        long up = System.nanoTime();

        int alerts = 2 * WAVE;
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> peers.arrived(alerts)
                    && TestApp.count(db, "SELECT COUNT(*) FROM delivery WHERE state IN ('PENDING', 'SENDING')") == 0
                    && health().statusCode() == 200);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("after the database came back: " + peers.slack.messages().size() + " Slack messages, " + peers.helpdesk.tickets().size()
                    + " tickets, " + FaultPeers.ledger(db) + ", health " + health().body(), e);
        }
        System.out.printf("database down %d ms; everything delivered and healthy %d ms after it was back%n",
                (up - down) / 1_000_000, (System.nanoTime() - up) / 1_000_000);
        peers.check(db, alerts);
    }

    private HttpResponse<String> health() throws Exception {
        return FaultPeers.health(orderwatch.settings().managementPort());
    }
}
