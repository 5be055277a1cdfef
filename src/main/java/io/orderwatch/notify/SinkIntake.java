package io.orderwatch.notify;

import io.orderwatch.alert.Alert;
import io.orderwatch.alert.AlertEvent;
import io.orderwatch.notify.delivery.DeliveryFailedAlarm;
import io.orderwatch.store.Database;
import io.orderwatch.store.SinkAlerts;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * How every sink takes a message off its queue: the alert change is read (one that cannot be read
 * throws, so the broker redelivers and finally dead-letters it), recorded in the sink's view, and only
 * when it is new to the sink handed to the sink's own logic, in the same transaction: a redelivered or
 * older message changes nothing, and the news of the sink's own failure (DELIVERY_FAILED about it) is
 * left to the other sinks.
 */
public final class SinkIntake {

    /** What the sink does with a change that is new to it, inside the intake's transaction. */
    @FunctionalInterface
    public interface Change {
        void apply(Connection c, Alert alert, long version, OffsetDateTime now) throws SQLException;
    }

    private final Database db;
    private final SinkAlerts view;
    private final Clock clock;

    public SinkIntake(Database db, SinkAlerts view, Clock clock) {
        this.db = db;
        this.view = view;
        this.clock = clock;
    }

    /** @return true when the change was new to this sink */
    public boolean accept(String eventJson, Change change) throws IOException {
        return acceptAll(List.of(eventJson), change) == 1;
    }

    /**
     * Several changes in one transaction, each as {@link #accept} takes it (a replay or a benchmark's
     * set-up: with H2's WRITE_DELAY=0 every commit appends to the file). All or none are recorded.
     *
     * @return how many were new to this sink
     */
    public int acceptAll(List<String> eventJsons, Change change) throws IOException {
        List<AlertEvent> events = new ArrayList<>();
        for (String json : eventJsons) {
            events.add(AlertInbox.read(json));
        }
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        return db.inTransaction(c -> {
            int fresh = 0;
            for (AlertEvent event : events) {
                long version = AlertInbox.versionOf(event.eventId());
                if (!view.record(c, event, version, now)) {
                    continue;
                }
                if (!DeliveryFailedAlarm.aboutSink(event.alert(), view.sink())) {
                    change.apply(c, event.alert(), version, now);
                }
                fresh++;
            }
            return fresh;
        });
    }
}
