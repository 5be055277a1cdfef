package io.orderwatch.notify;

import io.orderwatch.alert.AlertEvent;
import io.orderwatch.model.Json;
import io.orderwatch.store.SinkAlerts;

import java.io.IOException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * A sink's intake from its own queue on {@code orderwatch.alerts}: every alert state change is recorded
 * in the sink's view, idempotently (a redelivered or older message changes nothing). The sink then
 * notifies from its view on its own schedule. A message that cannot be read is an error, so the broker
 * redelivers it and finally dead-letters it: nothing is dropped silently.
 */
public final class AlertInbox {

    private final SinkAlerts view;
    private final Clock clock;

    public AlertInbox(SinkAlerts view, Clock clock) {
        this.view = view;
        this.clock = clock;
    }

    /** @return true when the change was new to this sink */
    public boolean accept(String eventJson) throws IOException {
        AlertEvent event = read(eventJson);
        return view.record(event, versionOf(event.eventId()), OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC));
    }

    /**
     * One message of a sink's queue, as every sink reads it: an alert change with its event id. One that
     * cannot be read throws, so the broker redelivers it and finally dead-letters it.
     */
    public static AlertEvent read(String eventJson) throws IOException {
        AlertEvent event = Json.mapper().readValue(eventJson, AlertEvent.class);
        if (event.alert() == null || event.eventId() == null) {
            throw new IllegalArgumentException("alert event without alert or eventId");
        }
        return event;
    }

    /** Event ids are {@code <fingerprint>#<version>:<state>}. */
    public static long versionOf(String eventId) {
        int hash = eventId.lastIndexOf('#');
        int colon = eventId.lastIndexOf(':');
        if (hash < 0 || colon < hash) {
            throw new IllegalArgumentException("unexpected alert event id \"" + eventId + "\"");
        }
        return Long.parseLong(eventId.substring(hash + 1, colon));
    }
}
