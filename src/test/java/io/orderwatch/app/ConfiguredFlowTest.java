package io.orderwatch.app;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.orderwatch.demo.AdminSimulator;
import io.orderwatch.demo.DemoWorld;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Outside demo mode: a bearer-protected admin API over HTTP, SMTP configured, recipients set. The
 * digest goes out over SMTP (nothing lands in the outbox), and a wrong admin token makes the
 * admin-api readiness check say so.
 */
class ConfiguredFlowTest {

    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path data;

    private AdminSimulator admin;
    private Orderwatch orderwatch;

    @AfterEach
    void stop() {
        if (orderwatch != null) {
            orderwatch.stop();
        }
        if (admin != null) {
            admin.close();
        }
    }

    private Properties configured(String adminToken) throws Exception {
        admin = new AdminSimulator(new DemoWorld(7, Clock.systemUTC()), "127.0.0.1", 0, "admin-secret", 0);
        Properties p = TestApp.demoOverrides(data);
        p.setProperty("orderwatch.admin.url", admin.baseUrl());
        p.setProperty("orderwatch.admin.token", adminToken);
        p.setProperty("orderwatch.admin.ui-url", "https://arm.example.org");
        p.setProperty("orderwatch.admin.max-attempts", "1");
        p.setProperty("orderwatch.api.token", "api-secret");
        p.setProperty("orderwatch.poll.seconds", "1");
        p.setProperty("orderwatch.stuck.reevaluate-seconds", "2");
        p.setProperty("orderwatch.digest.cron", "0/3 * * * * ?");
        p.setProperty("orderwatch.smtp.host", "127.0.0.1");
        p.setProperty("orderwatch.smtp.port", String.valueOf(smtp.getSmtp().getPort()));
        p.setProperty("orderwatch.digest.to", "support@example.org");
        p.setProperty("orderwatch.mail.from", "orderwatch@example.org");
        return p;
    }

    @Test
    void digestGoesOutOverSmtpWithLinksToTheAdminUi() throws Exception {
        orderwatch = Orderwatch.create(Path.of("."), Map.of(), configured("admin-secret"));
        orderwatch.start();
        assertFalse(orderwatch.settings().demoMode());
        await().atMost(Duration.ofSeconds(60)).until(() -> smtp.getReceivedMessages().length >= 1);
        MimeMessage m = smtp.getReceivedMessages()[0];
        assertEquals("support@example.org", m.getAllRecipients()[0].toString());
        assertTrue(m.getSubject().startsWith("Зависшие заказы: "), m.getSubject());
        String raw = new String(m.getRawInputStream().readAllBytes());
        assertFalse(Files.exists(data.resolve("outbox").resolve("email")), "a configured sink does not write to the outbox");
        // counted once the send is recorded, just after the server has the message
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            var counter = orderwatch.wiring().metrics().registry().find("orderwatch.deliveries").tag("outcome", "sent").counter();
            return counter != null && counter.count() >= 1;
        });
        assertTrue(raw.length() > 0);
    }

    @Test
    void adminOutageRaisesSourceDownAndResolvesNothingElse() throws Exception {
        Properties p = configured("admin-secret");
        p.setProperty("orderwatch.source-down.after", "2s");
        p.setProperty("orderwatch.digest.cron", "0 0 0 1 1 ? 2099");
        orderwatch = Orderwatch.create(Path.of("."), Map.of(), p);
        orderwatch.start();
        var db = orderwatch.wiring().database();
        await().atMost(Duration.ofSeconds(30)).until(() -> TestApp.count(db, "SELECT COUNT(*) FROM alert WHERE state = 'FIRING'") >= 10);
        int port = java.net.URI.create(admin.baseUrl()).getPort();
        admin.close();
        await().atMost(Duration.ofSeconds(30)).until(() -> TestApp.count(db,
                "SELECT COUNT(*) FROM alert WHERE fingerprint = 'SOURCE_DOWN:admin-api' AND state = 'FIRING'") == 1);
        long resolvedDuringOutage = TestApp.count(db, "SELECT COUNT(*) FROM alert WHERE state = 'RESOLVED'");
        // the admin system comes back on the same address
        admin = new AdminSimulator(new DemoWorld(7, Clock.systemUTC()), "127.0.0.1", port, "admin-secret", 0);
        await().atMost(Duration.ofSeconds(30)).until(() -> TestApp.count(db,
                "SELECT COUNT(*) FROM alert WHERE fingerprint = 'SOURCE_DOWN:admin-api' AND state = 'RESOLVED'") == 1);
        assertEquals(0, resolvedDuringOutage, "no alert resolved merely because its source was down");
    }

    @Test
    void wrongAdminTokenShowsInReadinessAndNothingCrashes() throws Exception {
        orderwatch = Orderwatch.create(Path.of("."), Map.of(), configured("wrong-token"));
        orderwatch.start();
        var poller = (io.orderwatch.source.AdminPoller) orderwatch.wiring().bean("adminPoller").orElseThrow();
        await().atMost(Duration.ofSeconds(30)).until(() -> poller.problem().isPresent());
        assertTrue(poller.problem().get().contains("ORDERWATCH_ADMIN_TOKEN"), poller.problem().get());
        assertFalse(poller.problem().get().contains("wrong-token"), "the token itself is never printed");
    }
}
