package io.orderwatch.notify.delivery;

import io.orderwatch.alert.AlertBook;
import io.orderwatch.alert.AlertKind;
import io.orderwatch.alert.Finding;
import io.orderwatch.alert.Scope;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * DELIVERY_FAILED: a sink could not deliver to a target for good. One alert per sink and target, raised
 * in the same transaction as the failure is recorded, resolved by the next delivery that goes through
 * there. Its details name the sink, so that sink never tries to deliver the news of its own failure.
 */
public final class DeliveryFailedAlarm {

    private final AlertBook book;
    private final Clock clock;

    public DeliveryFailedAlarm(AlertBook book, Clock clock) {
        this.book = book;
        this.clock = clock;
    }

    public static String fingerprint(String sink, String target) {
        return Finding.fingerprint(AlertKind.DELIVERY_FAILED, sink + ":" + target);
    }

    void failed(Connection c, String sink, String target, String error) throws SQLException {
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        book.reconcile(c, Scope.raiseOnly(), List.of(new Finding(AlertKind.DELIVERY_FAILED, sink + ":" + target, null, null, null, null,
                now, Map.of("sink", sink, "target", target, "error", error))));
    }

    void cleared(Connection c, String sink, String target) throws SQLException {
        book.resolve(c, fingerprint(sink, target));
    }

    /** Whether an alert is the news of this sink's own failure (which it must not try to deliver). */
    public static boolean aboutSink(io.orderwatch.alert.Alert a, String sink) {
        return AlertKind.DELIVERY_FAILED.equals(a.kind()) && sink.equals(String.valueOf(a.details().get("sink")));
    }
}
