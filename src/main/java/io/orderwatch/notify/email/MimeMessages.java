package io.orderwatch.notify.email;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import java.util.Date;

/** Builds the one MIME form of an {@link OutgoingMail}, used by SMTP and the outbox alike. */
final class MimeMessages {

    private MimeMessages() {}

    static MimeMessage build(Session session, OutgoingMail mail) throws MessagingException {
        MimeMessage m = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", mail.messageId());
            }
        };
        m.setFrom(new InternetAddress(mail.from()));
        for (String to : mail.to()) {
            m.addRecipient(jakarta.mail.Message.RecipientType.TO, new InternetAddress(to));
        }
        // a line break from data never becomes a header of its own: the subject is one line, RFC 2047-encoded
        m.setSubject(oneLine(mail.subject()), "UTF-8");
        if (mail.inReplyTo() != null) {
            m.setHeader("In-Reply-To", oneLine(mail.inReplyTo()));
        }
        if (!mail.references().isEmpty()) {
            m.setHeader("References", oneLine(String.join(" ", mail.references())));
        }
        m.setSentDate(new Date());
        if (mail.htmlBody() == null) {
            m.setText(mail.textBody(), "UTF-8", "plain");
        } else {
            MimeMultipart alternative = new MimeMultipart("alternative");
            MimeBodyPart text = new MimeBodyPart();
            text.setText(mail.textBody(), "UTF-8", "plain");
            MimeBodyPart html = new MimeBodyPart();
            html.setText(mail.htmlBody(), "UTF-8", "html");
            alternative.addBodyPart(text);
            alternative.addBodyPart(html);
            m.setContent(alternative);
        }
        m.saveChanges();
        return m;
    }

    /** Control characters (CR, LF, tabs) become spaces. */
    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("[\\p{Cntrl}\\u2028\\u2029]+", " ").strip();
    }
}
