package io.orderwatch.notify.email;

import io.orderwatch.alert.Alert;
import io.orderwatch.alert.AlertEvent;
import io.orderwatch.alert.AlertState;
import io.orderwatch.observe.Metrics;
import io.orderwatch.store.Database;
import io.orderwatch.store.NotificationLog;
import io.orderwatch.store.SinkAlerts;
import io.orderwatch.store.TestDatabases;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The digest job over the e-mail sink's view in a real database. */
class StuckDigestJobTest {

    private static final Instant AT = Instant.parse("2026-11-22T07:00:00Z");

    @TempDir
    Path outbox;

    /**
     * "Resolved since the last digest" is counted, not loaded: resolved rows are never read (here one
     * whose stored payload is no longer readable JSON does not stop the digest), and only those received
     * after the previous digest count.
     */
    @Test
    void resolvedAlertsAreCountedWithoutReadingThem() throws Exception {
        try (Database db = TestDatabases.h2()) {
            SinkAlerts view = new SinkAlerts(db, "email");
            OffsetDateTime t = AT.atOffset(ZoneOffset.UTC);
            view.record(new AlertEvent("a#1", alert("100", AlertState.FIRING), t), 1, t.minusHours(3));
            for (int i = 0; i < 3; i++) {
                view.record(new AlertEvent("r" + i, alert("20" + i, AlertState.RESOLVED), t), 2, t.minusHours(2 - i).minusMinutes(30));
            }
            db.inTransaction(c -> {
                try (var ps = c.prepareStatement("UPDATE sink_alert SET payload = '{broken' WHERE state = 'RESOLVED'")) {
                    ps.executeUpdate();
                }
                // the previous digest went out 1 h 45 min ago: two of the three resolved since
                new NotificationLog(db).record(c, "email", "stuck-digest:earlier", t.minusMinutes(105), "sent", null);
                return null;
            });
            StuckDigestJob job = new StuckDigestJob(db, view, new NotificationLog(db),
                    new StuckDigest(Path.of("config/templates/email"), ZoneId.of("Europe/Moscow"), "https://arm.example.org/", 50),
                    new OutboxMailTransport(outbox, Clock.fixed(AT, ZoneOffset.UTC)), "ow@example.org", List.of("team@example.org"),
                    Metrics.inMemory(), Clock.fixed(AT, ZoneOffset.UTC));
            job.send(Date.from(AT));
            try (var files = Files.list(outbox)) {
                List<Path> mails = files.toList();
                assertEquals(1, mails.size());
                String text;
                try (var in = Files.newInputStream(mails.get(0))) {
                    MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), in);
                    text = (String) ((MimeMultipart) m.getContent()).getBodyPart(0).getContent();
                }
                assertTrue(text.contains("Заказ 100"), text);
                assertTrue(text.contains("Разрешились с прошлой сводки: 2"), text);
            }
            assertEquals(2, view.countReceivedAfter("STUCK_ORDER", "RESOLVED", t.minusMinutes(105)));
        }
    }

    private static Alert alert(String orderId, AlertState state) {
        OffsetDateTime started = OffsetDateTime.parse("2026-11-22T04:00:00+03:00");
        return new Alert("STUCK_ORDER:" + orderId, "STUCK_ORDER", state, false, orderId, "st-1", "ch-nevis",
                "Ленинградская область", started, started, started, state == AlertState.RESOLVED ? started : null,
                Map.of("status", "NEW", "reason", "STATUS_TIMEOUT", "limitMinutes", 30));
    }
}
