package io.orderwatch.notify.email;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

import java.util.Properties;

/** SMTP with none, STARTTLS (required) or implicit TLS, with timeouts; the password is never logged. */
public final class SmtpMailTransport implements MailTransport {

    private final MailSettings settings;
    private final Session session;

    public SmtpMailTransport(MailSettings settings) {
        this.settings = settings;
        Properties p = new Properties();
        String proto = settings.security() == MailSettings.Security.TLS ? "smtps" : "smtp";
        p.put("mail.transport.protocol", proto);
        p.put("mail." + proto + ".host", settings.host());
        p.put("mail." + proto + ".port", String.valueOf(settings.port()));
        p.put("mail." + proto + ".connectiontimeout", String.valueOf(settings.connectTimeout().toMillis()));
        p.put("mail." + proto + ".timeout", String.valueOf(settings.readTimeout().toMillis()));
        p.put("mail." + proto + ".writetimeout", String.valueOf(settings.readTimeout().toMillis()));
        p.put("mail." + proto + ".auth", String.valueOf(settings.hasAuth()));
        if (settings.security() == MailSettings.Security.STARTTLS) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
        }
        if (settings.security() != MailSettings.Security.NONE) {
            p.put("mail." + proto + ".ssl.checkserveridentity", "true");
        }
        this.session = Session.getInstance(p);
    }

    @Override
    public String send(OutgoingMail mail) throws MailDeliveryException {
        try {
            MimeMessage m = MimeMessages.build(session, mail);
            String proto = settings.security() == MailSettings.Security.TLS ? "smtps" : "smtp";
            try (Transport t = session.getTransport(proto)) {
                if (settings.hasAuth()) {
                    t.connect(settings.host(), settings.port(), settings.user(), settings.password());
                } else {
                    t.connect();
                }
                t.sendMessage(m, m.getAllRecipients());
            }
            return "sent";
        } catch (AuthenticationFailedException e) {
            throw new MailDeliveryException("SMTP server refused SMTP_USER/SMTP_PASSWORD", false, e);
        } catch (SMTPSendFailedException e) {
            boolean permanent = e.getReturnCode() >= 500;
            throw new MailDeliveryException("SMTP server refused the message: " + e.getReturnCode() + " " + firstLine(e.getMessage()), !permanent, e);
        } catch (SendFailedException e) {
            throw new MailDeliveryException("SMTP server refused a recipient: " + firstLine(e.getMessage()), false, e);
        } catch (MessagingException e) {
            throw new MailDeliveryException("SMTP " + settings.host() + ":" + settings.port() + " unavailable: " + io.orderwatch.observe.Problems.rootLine(e), true, e);
        }
    }

    @Override
    public String describe() {
        return "SMTP " + settings.host() + ":" + settings.port() + " (" + settings.security().name().toLowerCase() + ")";
    }


    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse(s);
    }
}
