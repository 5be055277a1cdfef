package io.orderwatch.store;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * One notification in the delivery ledger, as stored.
 *
 * @param lane      what is paced and retried together: a Slack channel and method, a mailbox, a helpdesk
 * @param subject   the sink's own key of what the delivery is about (a Slack message group), or null
 * @param parentId  the delivery this one refers to (a Slack update or thread reply: its post), or null
 * @param alerts    the alerts it covers; filled only where asked for (the API), empty otherwise
 */
public record Delivery(long id, String sink, String target, String lane, String operation, String dedupKey, String subject,
                       Long parentId, String state, int attempts, OffsetDateTime nextAttemptAt, String errorKind, String lastError,
                       String peerRef, String payload, OffsetDateTime createdAt, OffsetDateTime updatedAt, OffsetDateTime sentAt,
                       List<AlertRef> alerts) {

    public static final String PENDING = "PENDING";
    public static final String SENDING = "SENDING";
    public static final String SENT = "SENT";
    public static final String FAILED = "FAILED";
    public static final String DISCARDED = "DISCARDED";
    public static final List<String> STATES = List.of(PENDING, SENDING, SENT, FAILED, DISCARDED);

    public Delivery {
        alerts = alerts == null ? List.of() : List.copyOf(alerts);
    }

    public Delivery withAlerts(List<AlertRef> refs) {
        return new Delivery(id, sink, target, lane, operation, dedupKey, subject, parentId, state, attempts, nextAttemptAt, errorKind,
                lastError, peerRef, payload, createdAt, updatedAt, sentAt, refs);
    }

    /** An alert a delivery covers. */
    public record AlertRef(String fingerprint, String orderId) {}

    /** A delivery to be written to the ledger. */
    public record New(String sink, String target, String lane, String operation, String dedupKey, String subject, Long parentId,
                      OffsetDateTime dueAt, List<AlertRef> alerts) {
        public New {
            alerts = alerts == null ? List.of() : List.copyOf(alerts);
        }
    }
}
