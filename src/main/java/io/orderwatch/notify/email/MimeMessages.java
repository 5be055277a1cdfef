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
        m.setSubject(mail.subject(), "UTF-8");
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
}
