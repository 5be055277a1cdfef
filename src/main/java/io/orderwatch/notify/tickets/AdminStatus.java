package io.orderwatch.notify.tickets;

import io.orderwatch.model.Order;
import io.orderwatch.source.AdminApiClient;
import io.orderwatch.source.RecordSink;
import io.orderwatch.source.RejectedRecord;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The order's status in the admin system at the moment a ticket is opened, read afresh over the admin
 * API. The reference API has no single-order read, so this reads the orders changed since the version
 * orderwatch last saw (that version is itself among them) and keeps the one asked for.
 *
 * <p>Tickets go several at a time (the helpdesk lane's calls in flight), and each such read walks every
 * order changed since: 1,000 tickets read 250,000 orders. So the reads are shared: whoever asks while a
 * read is under way waits for the next one, which starts after they asked (as fresh as a read of their
 * own) and reads from the oldest version any of them saw, for all of them at once.
 */
final class AdminStatus implements TicketSink.FreshStatus {

    private final AdminApiClient client;
    private final Object lock = new Object();
    /** Who waits for the next read. */
    private List<Asked> waiting = new ArrayList<>();
    private boolean reading;

    private static final class Asked {
        final String orderId;
        final OffsetDateTime seen;
        Order found;
        RuntimeException failure;
        boolean done;

        Asked(String orderId, OffsetDateTime seen) {
            this.orderId = orderId;
            this.seen = seen;
        }
    }

    AdminStatus(AdminApiClient client) {
        this.client = client;
    }

    @Override
    public Optional<String> statusOf(String orderId, OffsetDateTime seenUpdatedAt) throws InterruptedException {
        Asked me = new Asked(orderId, seenUpdatedAt);
        List<Asked> batch;
        synchronized (lock) {
            waiting.add(me);
            while (reading && !me.done) {
                lock.wait(); // a read under way started before this was asked: the next one
            }
            if (!me.done) {
                reading = true;
                batch = waiting;
                waiting = new ArrayList<>();
            } else {
                batch = null;
            }
        }
        if (batch != null) {
            try {
                read(batch);
            } catch (RuntimeException e) {
                batch.forEach(a -> a.failure = e);
            } finally {
                synchronized (lock) {
                    reading = false;
                    batch.forEach(a -> a.done = true);
                    lock.notifyAll();
                }
            }
        }
        synchronized (lock) {
            if (me.failure != null) {
                throw me.failure;
            }
            return Optional.ofNullable(me.found).map(o -> o.status() == null ? null : o.status().name());
        }
    }

    /**
     * One read of the orders changed since the oldest version seen by anyone in {@code batch}. Each asker
     * keeps only what a read of its own would have listed (versions from the one it saw on).
     */
    private void read(List<Asked> batch) {
        OffsetDateTime since = null;
        boolean all = false;
        Map<String, List<Asked>> byOrder = new HashMap<>();
        for (Asked a : batch) {
            byOrder.computeIfAbsent(a.orderId, k -> new ArrayList<>()).add(a);
            if (a.seen == null) {
                all = true;
            } else if (since == null || a.seen.isBefore(since)) {
                since = a.seen;
            }
        }
        Map<Asked, Order> found = new HashMap<>();
        client.pollOrders(all ? null : since, new RecordSink<>() {
            @Override
            public void accept(Order o) {
                for (Asked a : byOrder.getOrDefault(o.id(), List.of())) {
                    if (a.seen != null && o.updatedAt() != null && o.updatedAt().isBefore(a.seen)) {
                        continue; // before the version it saw: a read of its own would not have listed it
                    }
                    Order before = found.get(a);
                    if (before == null || o.updatedAt() == null || before.updatedAt() == null || !o.updatedAt().isBefore(before.updatedAt())) {
                        found.put(a, o);
                    }
                }
            }

            @Override
            public void reject(RejectedRecord r) {
                // a bad record is the poller's to quarantine
            }
        });
        synchronized (lock) {
            batch.forEach(a -> a.found = found.get(a));
        }
    }
}
