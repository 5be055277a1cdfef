package io.orderwatch.notify.email;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The same MIME message goes over real SMTP (GreenMail) or into the .eml outbox. */
class MailTransportTest {

    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    private static final OutgoingMail MAIL = new OutgoingMail("<stuck-digest-20261122T0700Z@orderwatch>", "orderwatch@example.org",
            List.of("team@example.org", "lead@example.org"), "Зависшие заказы: 2, новых 1 — 22.11.2026 10:00",
            "Заказ 48231192 — Передан в аптеку", "<p>Заказ <a href=\"x\">48231192</a></p>");

    private static MailSettings settings(int port, String user, String password) {
        return new MailSettings("127.0.0.1", port, user, password, MailSettings.Security.NONE, "orderwatch@example.org",
                Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    @Test
    void sendsUtf8DigestOverSmtp() throws Exception {
        assertEquals("sent", new SmtpMailTransport(settings(smtp.getSmtp().getPort(), null, null)).send(MAIL));
        assertTrue(smtp.waitForIncomingEmail(5000, 2));
        MimeMessage received = smtp.getReceivedMessages()[0];
        assertEquals(MAIL.subject(), received.getSubject());
        assertEquals(MAIL.messageId(), received.getMessageID());
        MimeMultipart parts = (MimeMultipart) received.getContent();
        assertTrue(((String) parts.getBodyPart(0).getContent()).contains("Передан в аптеку"));
    }

    @Test
    void authenticatesWhenAUserIsSet() throws Exception {
        smtp.setUser("bot", "s3cret");
        assertEquals("sent", new SmtpMailTransport(settings(smtp.getSmtp().getPort(), "bot", "s3cret")).send(MAIL));
        assertTrue(smtp.waitForIncomingEmail(5000, 2));
        assertTrue(!settings(1, "bot", "s3cret").toString().contains("s3cret"), "the password is never printed");
    }

    @Test
    void refusedConnectionIsTransient() {
        MailDeliveryException e = assertThrows(MailDeliveryException.class,
                () -> new SmtpMailTransport(settings(io.orderwatch.app.TestPorts.free(), null, null)).send(MAIL));
        assertTrue(e.transient_(), "worth retrying later");
        assertTrue(e.getMessage().startsWith("SMTP 127.0.0.1:"), e.getMessage());
    }

    @Test
    void outboxWritesTheSameMessageAsAnEmlFileOnce(@TempDir Path dir) throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-11-22T07:00:00Z"), ZoneOffset.UTC);
        OutboxMailTransport outbox = new OutboxMailTransport(dir.resolve("email"), clock);
        assertEquals("outbox", outbox.send(MAIL));
        assertEquals("outbox", outbox.send(MAIL));
        List<Path> files;
        try (var s = Files.list(dir.resolve("email"))) {
            files = s.toList();
        }
        assertEquals(1, files.size(), "the same message at the same time is one file");
        assertEquals("20261122-070000-stuck-digest-20261122T0700Z.eml", files.get(0).getFileName().toString());
        try (InputStream in = Files.newInputStream(files.get(0))) {
            MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), in);
            assertEquals(MAIL.subject(), m.getSubject());
            assertEquals(2, m.getAllRecipients().length);
            assertEquals(MAIL.messageId(), m.getMessageID());
        }
    }
}
