package io.orderwatch.notify.email;

import java.util.List;

/**
 * One e-mail, transport-neutral.
 *
 * @param messageId stable Message-ID (with angle brackets), so a resend after a crash is recognisable
 * @param htmlBody  null for text only
 */
public record OutgoingMail(String messageId, String from, List<String> to, String subject, String textBody, String htmlBody) {}
