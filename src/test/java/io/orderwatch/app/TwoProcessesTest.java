package io.orderwatch.app;

import io.orderwatch.notify.slack.SlackStub;
import io.orderwatch.notify.tickets.HelpdeskStub;
import io.orderwatch.store.Database;
import io.orderwatch.store.DbSettings;
import io.orderwatch.store.TestDatabases;
import io.orderwatch.testing.AdminStub;
import io.orderwatch.testing.ChildOrderwatch;
import io.orderwatch.testing.ExternalArtemis;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two orderwatch processes on one PostgreSQL and one external Artemis, as a deployment of N instances
 * runs: the admin API is polled by one of them at a time (clustered Quartz), every alert reaches each
 * of its sinks once (an export failure a Slack post and a ticket, a composition change an e-mail), and when the instance
 * in the middle of a poll is SIGKILLed the other takes the polling over within a measured time and
 * delivers what comes next alone. The two are told apart by the admin URL each is given (127.0.0.1 and
 * localhost name the same stub), which the stub sees as the Host of each request.
 */
class TwoProcessesTest {

    /** What the README states for a SIGKILLed instance's poll: Quartz's checkin (5 s) and its 7.5 s grace, plus one poll interval. */
    static final Duration TAKEOVER_LIMIT = Duration.ofSeconds(25);

    @TempDir
    Path dir;

    private AdminStub admin;
    private SlackStub slack;
    private HelpdeskStub helpdesk;
    private ExternalArtemis artemis;
    private ChildOrderwatch a;
    private ChildOrderwatch b;
    private Database db;

    @AfterEach
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {a, b, artemis, db, admin, slack, helpdesk}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    private Properties instance(String name, String adminUrl, String[] pg) {
        Properties p = FanOutTally.withSinks(TestApp.configuredOverrides(dir.resolve(name), adminUrl), slack, helpdesk);
        p.setProperty("orderwatch.db.url", pg[0]);
        p.setProperty("orderwatch.db.user", pg[1]);
        p.setProperty("orderwatch.broker.url", artemis.url());
        p.setProperty("orderwatch.broker.user", "ow");
        p.setProperty("orderwatch.broker.password", "artemis-secret");
        // e-mail's share: a composition change is one e-mail, a second after it
        p.setProperty("orderwatch.team-mail.composition-window", "1s");
        // a delivery claimed by an instance that died goes again after this (in-doubt check first)
        p.setProperty("orderwatch.delivery.claim-timeout", "10s");
        return p;
    }

    @Test
    void oneClusterOfTwoProcessesPollsOnceDeliversOnceAndSurvivesTheKillOfEither() throws Exception {
        admin = new AdminStub();
        slack = new SlackStub();
        helpdesk = new HelpdeskStub("hd-secret");
        artemis = ExternalArtemis.start(dir.resolve("artemis"), "ow", "artemis-secret");
        String[] pg = TestDatabases.postgresUrl();
        db = Database.open(new DbSettings(pg[0], pg[1], "", 2));
        FanOutTally.pharmacies(admin, 15);
        List<String> detected = new ArrayList<>(FanOutTally.exportFailures(admin, 0, 10));

        String port = admin.baseUrl().substring(admin.baseUrl().lastIndexOf(':') + 1);
        // the instances' logs stay under target/ for review
        Path logs = Files.createDirectories(Path.of("target", "two-processes"));
        Files.deleteIfExists(logs.resolve("a.log"));
        Files.deleteIfExists(logs.resolve("b.log"));
        a = ChildOrderwatch.start(instance("a", "http://127.0.0.1:" + port, pg), Map.of(), logs.resolve("a.log"));
        a.awaitHealthy(Duration.ofSeconds(90));
        b = ChildOrderwatch.start(instance("b", "http://localhost:" + port, pg), Map.of(), logs.resolve("b.log"));
        b.awaitHealthy(Duration.ofSeconds(90));
        FanOutTally.awaitDelivered(db, slack, helpdesk, detected.size(), Duration.ofSeconds(60));
        List<String> changed = changeCompositions(0, 5);
        await().atMost(Duration.ofSeconds(30)).until(() -> compositionMails().size() >= 5);

        // one poller at a time: one walk of the orders a second, not two
        Instant from = Instant.now();
        await().pollDelay(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(10)).until(() -> true);
        List<AdminStub.Served> window = admin.ordersServed().stream().filter(s -> s.at().isAfter(from)).toList();
        long hosts = window.stream().map(AdminStub.Served::host).distinct().count();
        assertTrue(window.size() >= 4 && window.size() <= 11, "walks of /api/v1/orders in 8 s, polling every second: " + window.size());

        // SIGKILL the instance whose poll is under way (the admin API hangs on it, so the poll job stays taken)
        admin.hold();
        await().atMost(Duration.ofSeconds(10)).until(() -> !admin.held().isEmpty());
        boolean victimIsA = admin.held().get(0).host().startsWith("127.0.0.1");
        ChildOrderwatch victim = victimIsA ? a : b;
        ChildOrderwatch survivor = victimIsA ? b : a;
        String survivorHost = victimIsA ? "localhost" : "127.0.0.1";
        victim.killHard();
        Instant killed = Instant.now();
        admin.release();
        await().atMost(TAKEOVER_LIMIT.plusSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> admin.ordersServed().stream()
                .anyMatch(s -> s.at().isAfter(killed) && s.host().startsWith(survivorHost)));
        Instant tookOver = admin.ordersServed().stream().filter(s -> s.at().isAfter(killed) && s.host().startsWith(survivorHost))
                .findFirst().orElseThrow().at();
        Duration takeover = Duration.between(killed, tookOver);
        assertTrue(takeover.compareTo(TAKEOVER_LIMIT) <= 0, "the survivor polled " + takeover.toMillis() + " ms after the SIGKILL");

        // what comes next, the survivor alone delivers: each alert once to each sink
        detected.addAll(FanOutTally.exportFailures(admin, 10, 5));
        changed.addAll(changeCompositions(5, 5));
        FanOutTally.awaitDelivered(db, slack, helpdesk, detected.size(), Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(30)).until(() -> compositionMails().size() >= 10
                && TestApp.count(db, "SELECT COUNT(*) FROM delivery WHERE state <> 'SENT'") == 0);
        FanOutTally.assertEachOnceInSlack(slack, detected);
        FanOutTally.assertEachOnceAsTicket(helpdesk, detected);
        List<String> mails = compositionMails();
        assertEquals(changed.size(), TestApp.count(db, "SELECT COUNT(*) FROM alert WHERE kind = 'COMPOSITION_CHANGED'"), "detected");
        for (String order : changed) {
            assertEquals(1, mails.stream().filter(m -> m.startsWith("Изменён состав заказа " + order)).count(),
                    "order " + order + "'s composition change is one e-mail, from one instance: " + mails.size() + " e-mails");
        }
        assertEquals(changed.size(), mails.size(), "one e-mail per composition change");
        assertEquals(0, TestApp.count(db, "SELECT COUNT(*) FROM dead_letter"), "nothing dead-lettered");

        assertEquals(143, survivor.stop(), "the survivor stops cleanly on SIGTERM\n" + survivor.logTail());
        System.out.printf("two processes: %d walks in 8 s from %d instance(s); took over %d ms after SIGKILL; %d export failures, %d posts, "
                        + "%d tickets; %d composition changes, %d e-mails%n", window.size(), hosts, takeover.toMillis(), detected.size(),
                FanOutTally.posts(slack).size(), helpdesk.tickets().size(), changed.size(), mails.size());
    }

    /** Orders 48240000 + from … get a line changed: each a COMPOSITION_CHANGED alert, which is e-mail's. */
    private List<String> changeCompositions(int from, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            String id = String.valueOf(48240000 + i);
            admin.itemsChanged(id, java.time.OffsetDateTime.now());
            ids.add(id);
        }
        return ids;
    }

    /** Every composition-change e-mail both instances wrote to their outboxes: its subject, then its text. */
    private List<String> compositionMails() throws Exception {
        List<String> out = new ArrayList<>();
        for (String name : new String[] {"a", "b"}) {
            Path outbox = dir.resolve(name).resolve("outbox").resolve("email");
            if (!Files.isDirectory(outbox)) {
                continue;
            }
            try (Stream<Path> files = Files.list(outbox)) {
                for (Path f : files.filter(f -> f.getFileName().toString().contains("composition-change")
                        && f.getFileName().toString().endsWith(".eml")).toList()) {
                    try (InputStream in = Files.newInputStream(f)) {
                        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), in);
                        out.add(m.getSubject() + "\n" + text(m.getContent()));
                    }
                }
            }
        }
        return out;
    }

    private static String text(Object content) throws Exception {
        if (content instanceof Multipart m) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < m.getCount(); i++) {
                BodyPart part = m.getBodyPart(i);
                s.append(text(part.getContent()));
            }
            return s.toString();
        }
        return content instanceof String s ? s : "";
    }
}
