package io.orderwatch.app;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.orderwatch.notify.slack.SlackStub;
import io.orderwatch.notify.tickets.HelpdeskStub;
import io.orderwatch.testing.AdminStub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole application configured with marker secrets (API token, admin token, Slack bot token that
 * Slack refuses, helpdesk token, SMTP password): none of them appears in anything orderwatch writes —
 * its log (start-up summaries, failures and stack traces included), its metrics, the outbox, the
 * answers of its API — while every sink is used and fails or succeeds.
 */
class SecretsStayHiddenTest {

    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(com.icegreen.greenmail.configuration.GreenMailConfiguration.aConfig().withUser("ow-user", "MARKER-smtp-pass"));

    private static final List<String> MARKERS = List.of("MARKER-api-token", "MARKER-admin-token", "MARKER-slack", "MARKER-helpdesk",
            "MARKER-smtp-pass");

    @TempDir
    Path data;

    private AdminStub admin;
    private SlackStub slack;
    private HelpdeskStub helpdesk;
    private Orderwatch orderwatch;
    private final List<String> log = new CopyOnWriteArrayList<>();
    private AppenderBase<ILoggingEvent> appender;

    @AfterEach
    void stop() {
        if (orderwatch != null) {
            orderwatch.stop();
        }
        for (AutoCloseable c : new AutoCloseable[] {admin, slack, helpdesk}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // a stub that is gone already
            }
        }
        if (appender != null) {
            ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(appender);
        }
    }

    @Test
    void noSecretInLogsMetricsOutboxOrAnswers() throws Exception {
        appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent e) {
                log.add(e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy())));
            }
        };
        appender.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
        appender.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(appender);

        admin = new AdminStub();
        slack = new SlackStub(); // knows only its own token: ours is refused (invalid_auth), a permanent failure
        helpdesk = new HelpdeskStub("MARKER-helpdesk");
        OffsetDateTime t0 = OffsetDateTime.now().minusHours(2);
        admin.store("st-1", "ch-a", "Аптека А", "ACTIVE", t0);
        admin.store("st-x", "ch-a", "Аптека А", "DELETED", t0);
        admin.order("48231192", "st-1", "FAILED", null, t0);
        admin.order("48231193", "st-x", "ACKNOWLEDGED", null, t0);

        Properties p = TestApp.demoOverrides(data);
        p.setProperty("orderwatch.admin.url", admin.baseUrl());
        p.setProperty("orderwatch.admin.token", "MARKER-admin-token");
        p.setProperty("orderwatch.api.token", "MARKER-api-token");
        p.setProperty("orderwatch.poll.seconds", "1");
        p.setProperty("orderwatch.digest.cron", "0/3 * * * * ?");
        p.setProperty("orderwatch.slack.token", "xoxb-MARKER-slack");
        p.setProperty("orderwatch.slack.api-url", slack.url());
        p.setProperty("orderwatch.helpdesk.kind", "reference");
        p.setProperty("orderwatch.helpdesk.url", helpdesk.url());
        p.setProperty("orderwatch.helpdesk.token", "MARKER-helpdesk");
        p.setProperty("orderwatch.tickets.escalate-ms", "1000");
        p.setProperty("orderwatch.smtp.host", "127.0.0.1");
        p.setProperty("orderwatch.smtp.port", String.valueOf(smtp.getSmtp().getPort()));
        p.setProperty("orderwatch.smtp.user", "ow-user");
        p.setProperty("orderwatch.smtp.password", "MARKER-smtp-pass");
        p.setProperty("orderwatch.smtp.allow-cleartext-auth", "true");
        p.setProperty("orderwatch.digest.to", "support@example.org");
        orderwatch = Orderwatch.create(Path.of("."), Map.of(), p);
        orderwatch.start();
        var db = orderwatch.wiring().database();

        // every sink at work: Slack refuses the token for good, e-mail goes out over SMTP with AUTH
        await().atMost(Duration.ofSeconds(60)).until(() -> TestApp.count(db,
                "SELECT COUNT(*) FROM delivery WHERE sink = 'slack' AND state = 'FAILED'") >= 1);
        await().atMost(Duration.ofSeconds(60)).until(() -> smtp.getReceivedMessages().length >= 1);

        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + orderwatch.settings().httpPort();
        StringBuilder answers = new StringBuilder();
        for (String auth : List.of("Bearer MARKER-api-token", "Bearer MARKER-api-token-wrong", "MARKER-api-token")) {
            for (String path : List.of("/api/v1/alerts", "/api/v1/deliveries", "/api/v1/dead-letters", "/api/v1/silences")) {
                answers.append(http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", auth).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
            }
        }
        answers.append(http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/alerts?Authorization=Bearer%20MARKER-api-token")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + orderwatch.settings().managementPort()
                + "/observe/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        String health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + orderwatch.settings().managementPort()
                + "/observe/health?exposureLevel=full")).build(), HttpResponse.BodyHandlers.ofString()).body();
        String ledger = db.read(c -> {
            StringBuilder b = new StringBuilder();
            try (var ps = c.prepareStatement("SELECT COALESCE(payload, '') || ' ' || COALESCE(last_error, '') || ' ' || COALESCE(peer_ref, '') FROM delivery");
                 var rs = ps.executeQuery()) {
                while (rs.next()) {
                    b.append(rs.getString(1)).append('\n');
                }
            }
            return b.toString();
        });
        StringBuilder outbox = new StringBuilder();
        Path box = data.resolve("outbox");
        if (Files.isDirectory(box)) {
            try (Stream<Path> files = Files.walk(box)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    outbox.append(Files.readString(f, StandardCharsets.ISO_8859_1));
                }
            }
        }
        String everything = String.join("\n", log) + metrics + health + answers + ledger + outbox;
        // the default log is quiet at start-up (one "orderwatch is up" event, no Camel summaries): ~35 lines
        assertTrue(log.size() > 20, "the log was captured: " + log.size() + " lines");
        for (String marker : MARKERS) {
            assertFalse(everything.contains(marker), marker + " leaked: " + around(everything, marker));
        }
    }

    private static String around(String text, String marker) {
        int i = text.indexOf(marker);
        return i < 0 ? "" : text.substring(Math.max(0, i - 200), Math.min(text.length(), i + 100));
    }
}
