package io.orderwatch.notify.email;

/** Delivers an e-mail: over SMTP, or into the outbox folder when no SMTP server is configured. */
public interface MailTransport {

    /** @return how it went out: {@code sent} or {@code outbox} */
    String send(OutgoingMail mail) throws MailDeliveryException;

    /** What the log says once at start-up. */
    String describe();
}
