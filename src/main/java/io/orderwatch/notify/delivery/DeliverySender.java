package io.orderwatch.notify.delivery;

import io.orderwatch.store.DeliveryLedger;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * What a sink plugs into the delivery core: how to build what a claimed delivery sends, and how to send
 * it. The core owns the ledger, the lanes, pacing, retries by kind of failure and dead letters.
 */
public interface DeliverySender {

    /**
     * Builds the request for a claimed delivery from the sink's state as it is now, inside the claim's
     * transaction (so what is sent is exactly what the ledger then records as its payload).
     */
    String prepare(Connection c, DeliveryLedger.Claim claim) throws SQLException;

    /**
     * Sends it, outside any transaction. A claim {@code inDoubt} was sent before by an attempt whose
     * answer was never recorded (a crash): the sender first asks the peer whether it has it.
     * Never throws: every failure is an {@link Outcome.Failed} of the right kind.
     */
    Outcome send(DeliveryLedger.Claim claim, String request);

    /**
     * What the ledger is to keep as the payload of a delivery just attempted, when the call made is more
     * than the prepared request (a ticket with the order's status read just before it was sent); null
     * keeps the prepared request. Asked once per attempt, after {@link #send}; written in the
     * transaction that records the answer, not in one of its own before the call.
     */
    default String attempted(DeliveryLedger.Claim claim) {
        return null;
    }

    /** The least time between two calls on a lane (Slack: about one post per second per channel). */
    Duration pace(String lane);

    /**
     * How many calls the lane may have in flight at once, across instances. 1 (the default) for a lane
     * whose order matters (a Slack channel); more only where the peer's calls have no order between them.
     */
    default int inFlight(String lane) {
        return 1;
    }
}
