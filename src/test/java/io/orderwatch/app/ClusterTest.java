package io.orderwatch.app;

import io.orderwatch.demo.AdminSimulator;
import io.orderwatch.demo.DemoWorld;
import io.orderwatch.store.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two instances on one PostgreSQL database poll as one (clustered Quartz): the admin API sees one walk
 * per interval, not two, and when one instance stops the other carries on.
 */
class ClusterTest {

    @TempDir
    Path dataA;
    @TempDir
    Path dataB;

    private AdminSimulator admin;
    private Orderwatch a;
    private Orderwatch b;

    @AfterEach
    void stop() {
        if (a != null) {
            a.stop();
        }
        if (b != null) {
            b.stop();
        }
        if (admin != null) {
            admin.close();
        }
    }

    private Properties instance(Path data, String[] db) {
        Properties p = TestApp.demoOverrides(data);
        p.setProperty("orderwatch.admin.url", admin.baseUrl());
        p.setProperty("orderwatch.api.token", "t");
        p.setProperty("orderwatch.poll.seconds", "2");
        // a ticket reads its order afresh from the admin API, a walk of its own: not the pollers counted here
        p.setProperty("orderwatch.tickets.rules", "");
        p.setProperty("orderwatch.digest.cron", "0 0 0 1 1 ? 2099");
        p.setProperty("orderwatch.db.url", db[0]);
        p.setProperty("orderwatch.db.user", db[1]);
        return p;
    }

    @Test
    void instancesSharingADatabasePollAsOne() throws Exception {
        admin = new AdminSimulator(new DemoWorld(11, Clock.systemUTC()), "127.0.0.1", 0, null, 0);
        String[] db = TestDatabases.postgresUrl();
        a = Orderwatch.create(Path.of("."), Map.of(), instance(dataA, db));
        a.start();
        b = Orderwatch.create(Path.of("."), Map.of(), instance(dataB, db));
        b.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> admin.walks("/api/v1/orders") >= 2);

        long before = admin.walks("/api/v1/orders");
        long started = System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> System.nanoTime() - started >= Duration.ofSeconds(12).toNanos());
        long walks = admin.walks("/api/v1/orders") - before;
        // one poller every 2 s makes about 6 walks in 12 s; two independent pollers would make about 12
        assertTrue(walks >= 3 && walks <= 8, "walks of /api/v1/orders in 12 s: " + walks);

        a.stop();
        a = null;
        long afterStop = admin.walks("/api/v1/orders");
        await().atMost(Duration.ofSeconds(40)).until(() -> admin.walks("/api/v1/orders") >= afterStop + 3);
    }
}
