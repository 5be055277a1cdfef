package io.orderwatch.notify.email;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Properties;

/**
 * No SMTP server configured: each e-mail is written, exactly as it would have been sent, as a
 * {@code .eml} file in the outbox folder (written to a temporary file, then moved into place).
 */
public final class OutboxMailTransport implements MailTransport {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Path dir;
    private final Clock clock;
    private final Session session = Session.getInstance(new Properties());

    public OutboxMailTransport(Path dir, Clock clock) {
        this.dir = dir;
        this.clock = clock;
    }

    @Override
    public String send(OutgoingMail mail) throws MailDeliveryException {
        try {
            Files.createDirectories(dir);
            String name = STAMP.format(clock.instant().atZone(ZoneId.of("UTC"))) + "-" + slug(mail.messageId()) + ".eml";
            Path target = dir.resolve(name);
            if (Files.exists(target)) {
                return "outbox"; // the same message (same Message-ID, same second) is already there
            }
            Path tmp = Files.createTempFile(dir, ".writing-", ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                MimeMessages.build(session, mail).writeTo(out);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target);
            }
            return "outbox";
        } catch (IOException | MessagingException e) {
            throw new MailDeliveryException("cannot write to the e-mail outbox " + dir + ": " + e.getMessage(), true, e);
        }
    }

    @Override
    public String describe() {
        return "outbox " + dir;
    }

    public Path dir() {
        return dir;
    }

    /** "<stuck-digest-20261122T1000@orderwatch>" becomes "stuck-digest-20261122T1000". */
    static String slug(String messageId) {
        String s = messageId.replaceAll("[<>]", "");
        int at = s.indexOf('@');
        if (at > 0) {
            s = s.substring(0, at);
        }
        s = s.replaceAll("[^A-Za-z0-9._-]", "-");
        return s.isEmpty() ? "mail" : s;
    }
}
