package io.orderwatch.notify;

import io.orderwatch.alert.AlertBook;
import io.orderwatch.notify.delivery.DeliveryDispatcher;
import io.orderwatch.observe.Metrics;
import io.orderwatch.store.Database;
import io.orderwatch.store.DeliveryLedger;

import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;

/**
 * What every sink is wired with: its settings, the database, the delivery core it delivers through,
 * where its outbox is, the facts its messages need (links to the admin UI, the team's zone), and the admin
 * API (a ticket reads the order's status afresh just before it is sent).
 */
public record SinkContext(SinkConfig config, Database db, Clock clock, Metrics metrics, AlertBook book, DeliveryDispatcher dispatcher,
                          DeliveryLedger ledger, Path outboxRoot, Path configDir, String adminUiUrl, ZoneId teamZone, boolean demo,
                          io.orderwatch.source.AdminApiClient admin) {

    public Path outbox(String sink) {
        return outboxRoot.resolve(sink);
    }

    /**
     * A sink as the application composes it: the beans its routes call, its intake (what consumes its
     * queue on orderwatch.alerts, also used to replay a dead letter), the same for several messages in one
     * transaction (what its queue's consumer hands it), and one line for the start-up log
     * saying where it delivers (or that it writes to the outbox).
     */
    public record Wired(String sink, java.util.Map<String, Object> beans, Intake intake, io.orderwatch.broker.QueueBatches.Batch batch,
                        String announcement) {}

    /** A sink's intake: one alert event as published on orderwatch.alerts. */
    @FunctionalInterface
    public interface Intake {
        void accept(String eventJson) throws Exception;
    }
}
