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
        if (settings.security() != MailSettings.Security.NONE && settings.trustStore() != null && !settings.trustStore().isBlank()) {
            // a server whose certificate a private CA signed: trust what this store holds (PKCS12 or JKS)
            p.put("mail." + proto + ".ssl.socketFactory", trustingFactory(settings.trustStore(), settings.trustStorePassword()));
        }
        this.session = Session.getInstance(p);
    }

    @Override
    public String send(OutgoingMail mail) throws MailDeliveryException {
        boolean[] handedOver = {false};
        try {
            MimeMessage m = MimeMessages.build(session, mail);
            String proto = settings.security() == MailSettings.Security.TLS ? "smtps" : "smtp";
            try (Transport t = session.getTransport(proto)) {
                if (settings.hasAuth()) {
                    t.connect(settings.host(), settings.port(), settings.user(), settings.password());
                } else {
                    t.connect();
                }
                handedOver[0] = true;
                t.sendMessage(m, m.getAllRecipients());
            }
            return "sent";
        } catch (AuthenticationFailedException e) {
            throw new MailDeliveryException("SMTP server refused SMTP_USER/SMTP_PASSWORD", false, e);
        } catch (SMTPSendFailedException e) {
            boolean permanent = e.getReturnCode() >= 500;
            throw new MailDeliveryException("SMTP server refused the message: " + e.getReturnCode() + " " + io.orderwatch.observe.Problems.firstLine(e.getMessage()), !permanent, e);
        } catch (SendFailedException e) {
            throw new MailDeliveryException("SMTP server refused a recipient: " + io.orderwatch.observe.Problems.firstLine(e.getMessage()), false, e);
        } catch (MessagingException e) {
            if (handedOver[0] && timedOut(e)) {
                // the message may be on the server already: SMTP cannot be asked, the retry resends the same Message-ID
                throw new MailDeliveryException("SMTP " + settings.host() + ":" + settings.port() + " did not answer after the message was sent: "
                        + io.orderwatch.observe.Problems.rootLine(e), true, true, e);
            }
            throw new MailDeliveryException("SMTP " + settings.host() + ":" + settings.port() + " unavailable: " + io.orderwatch.observe.Problems.rootLine(e), true, e);
        }
    }

    @Override
    public String describe() {
        return "SMTP " + settings.host() + ":" + settings.port() + " (" + settings.security().name().toLowerCase() + ")";
    }

    private static javax.net.ssl.SSLSocketFactory trustingFactory(String path, String password) {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(java.nio.file.Path.of(path))) {
            java.security.KeyStore ks = java.security.KeyStore.getInstance(path.endsWith(".jks") ? "JKS" : "PKCS12");
            ks.load(in, password == null || password.isEmpty() ? null : password.toCharArray());
            javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx.getSocketFactory();
        } catch (java.io.IOException | java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("orderwatch.smtp.trust-store " + path + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
