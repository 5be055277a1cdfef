package io.orderwatch.notify.tickets;

import io.orderwatch.model.OrderVersion;
import io.orderwatch.source.AdminApiClient;
import io.orderwatch.source.RecordSink;
import io.orderwatch.source.RejectedRecord;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The order's status in the admin system at the moment a ticket is opened, read afresh over the admin
 * API. The reference API has no single-order read, so this reads the orders changed since the version
 * orderwatch last saw (that version is itself among them) and keeps the one asked for: each order's
 * id, version and status only, the rest of it skipped unread.
 *
 * <p>Tickets go several at a time (the helpdesk lane's calls in flight), and each such read walks every
 * order changed since: 1,000 tickets read 250,000 orders. So the reads are shared:
 * <ul>
 *   <li>whoever asks while a read is under way waits for the next one, which starts after they asked
 *       and reads from the oldest version any of them saw, for all of them at once;</li>
 *   <li>whoever asks within {@link #FRESH_FOR} of the start of the last read is answered from what that
 *       read listed, when it listed the order at the version orderwatch saw or later (else it reads). A
 *       burst of tickets then costs a read a second instead of one per few tickets.</li>
 * </ul>
 */
final class AdminStatus implements TicketSink.FreshStatus {

    /** How old a read may be and still tell a ticket the order's status "now". */
    static final Duration FRESH_FOR = Duration.ofSeconds(1);
    /** A read that lists more orders than this is not kept for later askers (its listing would hold too much). */
    static final int KEPT_AT_MOST = 20_000;

    private final AdminApiClient client;
    private final LongSupplier nanos;
    private final Object lock = new Object();
    /** Who waits for the next read. */
    private List<Asked> waiting = new ArrayList<>();
    private boolean reading;
    /** The last read that succeeded, kept for {@link #FRESH_FOR}; null when none or too large. */
    private Listing last;
    private long reads;

    private static final class Asked {
        final String orderId;
        final OffsetDateTime seen;
        OrderVersion found;
        RuntimeException failure;
        boolean done;

        Asked(String orderId, OffsetDateTime seen) {
            this.orderId = orderId;
            this.seen = seen;
        }
    }

    /** What one read listed: each order's latest version, from which version on it read, and when it started. */
    private record Listing(long startedNanos, OffsetDateTime since, Map<String, OrderVersion> latest) {

        /** The order's status as this read saw it, if it listed the order at {@code seen} or later. */
        Optional<OrderVersion> answer(String orderId, OffsetDateTime seen) {
            if (seen == null ? since != null : since != null && seen.isBefore(since)) {
                return Optional.empty(); // it did not read back as far as this order's version
            }
            OrderVersion v = latest.get(orderId);
            if (v == null || seen != null && v.updatedAt() != null && v.updatedAt().isBefore(seen)) {
                return Optional.empty(); // not listed (or older than orderwatch's own): a read of its own decides
            }
            return Optional.of(v);
        }
    }

    AdminStatus(AdminApiClient client) {
        this(client, System::nanoTime);
    }

    AdminStatus(AdminApiClient client, LongSupplier nanos) {
        this.client = client;
        this.nanos = nanos;
    }

    /** Reads of the admin API made so far (for tests). */
    long reads() {
        synchronized (lock) {
            return reads;
        }
    }

    @Override
    public Optional<String> statusOf(String orderId, OffsetDateTime seenUpdatedAt) throws InterruptedException {
        long asked = nanos.getAsLong();
        Asked me = new Asked(orderId, seenUpdatedAt);
        List<Asked> batch;
        synchronized (lock) {
            Listing l = last;
            if (l != null && asked - l.startedNanos() <= FRESH_FOR.toNanos()) {
                Optional<OrderVersion> known = l.answer(orderId, seenUpdatedAt);
                if (known.isPresent()) {
                    return Optional.ofNullable(known.get().status()).map(Enum::name);
                }
            }
            waiting.add(me);
            while (reading && !me.done) {
                lock.wait(); // a read under way started before this was asked: the next one
            }
            if (!me.done) {
                reading = true;
                reads++;
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
        long started = nanos.getAsLong();
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
        Map<Asked, OrderVersion> found = new HashMap<>();
        Map<String, OrderVersion> latest = new HashMap<>();
        boolean[] keep = {true};
        client.pollOrderVersions(all ? null : since, new RecordSink<>() {
            @Override
            public void accept(OrderVersion o) {
                for (Asked a : byOrder.getOrDefault(o.id(), List.of())) {
                    if (a.seen != null && o.updatedAt() != null && o.updatedAt().isBefore(a.seen)) {
                        continue; // before the version it saw: a read of its own would not have listed it
                    }
                    OrderVersion before = found.get(a);
                    if (later(o, before)) {
                        found.put(a, o);
                    }
                }
                if (keep[0]) {
                    if (later(o, latest.get(o.id()))) {
                        latest.put(o.id(), o);
                    }
                    if (latest.size() > KEPT_AT_MOST) {
                        keep[0] = false;
                        latest.clear();
                    }
                }
            }

            @Override
            public void reject(RejectedRecord r) {
                // a bad record is the poller's to quarantine
            }
        });
        Listing listing = keep[0] ? new Listing(started, all ? null : since, latest) : null;
        synchronized (lock) {
            batch.forEach(a -> a.found = found.get(a));
            if (last == null || listing == null || listing.startedNanos() - last.startedNanos() >= 0) {
                last = listing;
            }
        }
    }

    /** Whether {@code o} is at least as late a version as {@code before} (a page may list an order twice). */
    private static boolean later(OrderVersion o, OrderVersion before) {
        return before == null || o.updatedAt() == null || before.updatedAt() == null || !o.updatedAt().isBefore(before.updatedAt());
    }
}
