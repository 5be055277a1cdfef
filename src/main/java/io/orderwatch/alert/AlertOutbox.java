package io.orderwatch.alert;

import io.orderwatch.observe.Metrics;
import io.orderwatch.store.AlertStore;
import io.orderwatch.store.Database;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The publishing side of the transactional outbox. The publish-alert-events route takes pending state
 * changes in order, sends each to the broker with its event id as the duplicate-detection id, and only
 * then marks it published: a crash in between re-sends, and the broker drops the repeat. So a batch can
 * be marked in one transaction after all of it was sent ({@link #markAllPublished}).
 */
public final class AlertOutbox {

    private final Database db;
    private final AlertStore store;
    private final Metrics metrics;
    private final Clock clock;
    private final int batchSize;
    private final Publisher publisher;

    /** Sends a batch of changes to the broker; when it returns, all of them are there. */
    @FunctionalInterface
    public interface Publisher {
        void publish(List<AlertStore.PendingEvent> events) throws Exception;
    }

    /** For a route that sends each pending change itself ({@link #pending}, then {@link #markAllPublished}). */
    public AlertOutbox(Database db, AlertStore store, Metrics metrics, Clock clock, int batchSize) {
        this(db, store, metrics, clock, batchSize, events -> {
            throw new IllegalStateException("this outbox has no publisher");
        });
    }

    public AlertOutbox(Database db, AlertStore store, Metrics metrics, Clock clock, int batchSize, Publisher publisher) {
        this.publisher = publisher;
        this.db = db;
        this.store = store;
        this.metrics = metrics;
        this.clock = clock;
        this.batchSize = batchSize;
        metrics.gauge("orderwatch.alert.events.pending", "Alert state changes not yet published to the broker", this::pendingCount);
    }

    /** The next state changes to publish, oldest first. */
    public List<AlertStore.PendingEvent> pending() {
        return db.read(c -> store.pendingEvents(c, batchSize));
    }

    /**
     * What publish-alert-events runs: the next pending changes, oldest first, sent to the broker as one
     * batch, then marked published in one transaction. A crash in between re-sends them, and the
     * broker drops the repeats (the event id is its duplicate-detection id).
     *
     * @return how many were published
     */
    public int publish() throws Exception {
        List<AlertStore.PendingEvent> events = pending();
        if (events.isEmpty()) {
            return 0;
        }
        publisher.publish(events);
        markAllPublished(events);
        return events.size();
    }

    public void markPublished(long seq) {
        db.inTransaction(c -> {
            store.markPublished(c, seq, OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC));
            return null;
        });
        metrics.published();
    }

    /** Marks a batch that was sent, in one transaction (one commit per batch instead of one per event). */
    public void markAllPublished(List<AlertStore.PendingEvent> events) {
        if (events == null || events.isEmpty()) {
            return;
        }
        db.inTransaction(c -> {
            OffsetDateTime at = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
            for (AlertStore.PendingEvent e : events) {
                store.markPublished(c, e.seq(), at);
            }
            return null;
        });
        events.forEach(e -> metrics.published());
    }

    public long pendingCount() {
        try {
            return db.read(store::countPending);
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** Refreshes the firing-alerts gauge. */
    public void refreshFiringGauge() {
        metrics.firingAlerts(db.read(store::countFiringByKind));
    }
}
