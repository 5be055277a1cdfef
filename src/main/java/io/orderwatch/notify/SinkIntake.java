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
        AlertEvent event = AlertInbox.read(eventJson);
        long version = AlertInbox.versionOf(event.eventId());
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        return db.inTransaction(c -> {
            if (!view.record(c, event, version, now)) {
                return false;
            }
            if (!DeliveryFailedAlarm.aboutSink(event.alert(), view.sink())) {
                change.apply(c, event.alert(), version, now);
            }
            return true;
        });
    }
}
