package io.orderwatch.notify.tickets;

import io.orderwatch.notify.delivery.Outcome;

/** A helpdesk orderwatch opens tickets in: the reference API, Usedesk, or the outbox. */
public interface Helpdesk {

    /** Its name for metrics and the ledger's target (never an address). */
    String name();

    /** One line for the start-up log. */
    String describe();

    HelpdeskCall ticket(Ticket t);

    HelpdeskCall comment(String ticketId, String text);

    /**
     * Sends a call; a ticket's {@link Outcome.Sent} carries the helpdesk's ticket id. {@code inDoubt}: an
     * earlier attempt may have created it, so the helpdesk is asked first where it can be.
     */
    Outcome send(long deliveryId, HelpdeskCall call, boolean inDoubt);
}
