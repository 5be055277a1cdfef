package io.orderwatch.notify.email;

import java.util.List;

/**
 * One e-mail, transport-neutral; also what the delivery ledger keeps as the delivery's payload (JSON),
 * so a retry sends exactly the same message.
 *
 * @param messageId  stable Message-ID (with angle brackets), so a resend after a crash is recognisable
 * @param htmlBody   null for text only
 * @param inReplyTo  the Message-ID this one answers (the previous digest of the day), or null
 * @param references the thread it belongs to, oldest first (empty for the first of a thread)
 */
public record OutgoingMail(String messageId, String from, List<String> to, String subject, String textBody, String htmlBody,
                           String inReplyTo, List<String> references) {

    public OutgoingMail {
        to = List.copyOf(to);
        references = references == null ? List.of() : List.copyOf(references);
    }

    public OutgoingMail(String messageId, String from, List<String> to, String subject, String textBody, String htmlBody) {
        this(messageId, from, to, subject, textBody, htmlBody, null, List.of());
    }

    public OutgoingMail threaded(String inReplyTo, List<String> references) {
        return new OutgoingMail(messageId, from, to, subject, textBody, htmlBody, inReplyTo, references);
    }
}
