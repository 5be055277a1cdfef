package io.orderwatch.source;

/** An event that does not follow order-events.md; says which one (index in the body, eventId) and why. */
public class BadEventException extends Exception {

    private final int index;
    private final String eventId;
    private final String reason;

    public BadEventException(int index, String eventId, String reason) {
        super("event " + index + (eventId == null ? "" : " (eventId " + eventId + ")") + ": " + reason);
        this.index = index;
        this.eventId = eventId;
        this.reason = reason;
    }

    public int index() {
        return index;
    }

    public String eventId() {
        return eventId;
    }

    public String reason() {
        return reason;
    }
}
