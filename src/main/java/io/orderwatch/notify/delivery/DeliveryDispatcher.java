package io.orderwatch.notify.delivery;

import io.orderwatch.observe.Metrics;
import io.orderwatch.store.Database;
import io.orderwatch.store.Delivery;
import io.orderwatch.store.DeliveryLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The delivery core that every sink delivers through. Each sink has its own workers, and each of its
 * lanes (a Slack channel and method, a mailbox, a helpdesk) at most one call in flight and its own pace,
 * shared across instances through the lane's row: one slow or failing channel never holds another
 * channel or another sink. A lane whose calls have no order between them (the helpdesk: tickets) may
 * allow a few calls in flight ({@link DeliverySender#inFlight}); the limit counts the lane's unexpired
 * claims in the ledger, so it holds across instances too, and each delivery is still claimed once.
 *
 * <p>Exactly once: a delivery is in the ledger (PENDING) before the peer is told; claiming it marks it
 * SENDING with a deadline, in one transaction, before the call; the answer is recorded right after. A
 * crash between the peer's answer and that record leaves it SENDING: when the claim lapses it is claimed
 * again "in doubt", and the sink asks the peer whether it already has it before sending again.
 */
public final class DeliveryDispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryDispatcher.class);
    /** A lane that failed without a Retry-After waits at most this long before its next delivery is tried. */
    private static final Duration LANE_MAX_WAIT = Duration.ofSeconds(30);

    private final Database db;
    private final DeliveryLedger ledger;
    private final RetryPolicy retry;
    private final Duration claimTimeout;
    private final DeliveryFailedAlarm alarm;
    private final Metrics metrics;
    private final Clock clock;
    private final Map<String, Registered> sinks = new ConcurrentHashMap<>();
    private final List<SentListener> sentListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Told, in the transaction that records it, that a delivery went through: another sink may want to
     * say so (Slack names the ticket that the helpdesk opened for an alert in the alert's thread).
     */
    @FunctionalInterface
    public interface SentListener {
        void sent(java.sql.Connection c, Delivery delivery, String peerRef) throws java.sql.SQLException;
    }

    public void onSent(SentListener listener) {
        sentListeners.add(listener);
    }
    private volatile boolean closing;

    /** {@code busy}: the calls this instance has in flight (or claimed) per lane. */
    private record Registered(String sink, DeliverySender sender, ExecutorService pool, Map<String, Integer> busy) {

        /** Takes one of the lane's slots in this instance; false when all are taken. */
        boolean acquire(String lane) {
            int limit = Math.max(1, sender.inFlight(lane));
            boolean[] got = {false};
            busy.compute(lane, (k, v) -> {
                int n = v == null ? 0 : v;
                if (n >= limit) {
                    return v;
                }
                got[0] = true;
                return n + 1;
            });
            return got[0];
        }

        void release(String lane) {
            busy.computeIfPresent(lane, (k, v) -> v <= 1 ? null : v - 1);
        }
    }

    private record Claimed(DeliveryLedger.Claim claim, String request) {}

    public DeliveryDispatcher(Database db, DeliveryLedger ledger, RetryPolicy retry, Duration claimTimeout, DeliveryFailedAlarm alarm,
                              Metrics metrics, Clock clock) {
        this.db = db;
        this.ledger = ledger;
        this.retry = retry;
        this.claimTimeout = claimTimeout;
        this.alarm = alarm;
        this.metrics = metrics;
        this.clock = clock;
        metrics.gauge("orderwatch.deliveries.failed", "Deliveries that failed for good and wait in the dead letters",
                () -> safeCount(Delivery.FAILED));
    }

    /** A sink joins the core with its own workers (one per lane in flight at most). */
    public void register(String sink, DeliverySender sender, int workers) {
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "deliver-" + sink + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        sinks.put(sink, new Registered(sink, sender, pool, new ConcurrentHashMap<>()));
        metrics.gauge("orderwatch.delivery.backlog", "Deliveries not yet done (pending or in flight), by sink",
                () -> backlog(sink).count(), "sink", sink);
        metrics.gauge("orderwatch.delivery.oldest.pending.seconds", "Age of the oldest delivery not yet done, by sink",
                () -> {
                    DeliveryLedger.Backlog b = backlog(sink);
                    return b.oldest() == null ? 0 : Duration.between(b.oldest(), now()).toSeconds();
                }, "sink", sink);
    }

    /**
     * Starts every delivery that may go now, one per free lane, on the sinks' workers; returns how many
     * it started. Called often by the dispatch-deliveries route; never waits for a peer.
     */
    public int dispatch() {
        int started = 0;
        for (Registered r : sinks.values()) {
            if (closing) {
                return started;
            }
            List<String> lanes = db.read(c -> ledger.dueLanes(c, r.sink(), now()));
            for (String lane : lanes) {
                // a lane allowing several calls in flight fills its free slots, one claim each
                while (!closing && r.acquire(lane)) {
                    Optional<Claimed> claimed;
                    try {
                        claimed = db.inTransaction(c -> claim(c, r, lane));
                    } catch (RuntimeException e) {
                        r.release(lane);
                        throw e;
                    }
                    if (claimed.isEmpty()) {
                        r.release(lane);
                        break;
                    }
                    try {
                        r.pool().execute(() -> runLane(r, lane, claimed.get()));
                        started++;
                    } catch (RejectedExecutionException e) {
                        // shutting down: the claim lapses and the delivery is taken up again after a restart
                        r.release(lane);
                        break;
                    }
                }
            }
        }
        return started;
    }

    /**
     * A lane whose pace is shorter than the dispatch-deliveries period (250 ms) would otherwise be held
     * to one call per period: its next due delivery is claimed in the transaction that records this one and goes
     * on the sink's workers behind what is already queued there (other lanes are not starved). The lane
     * stays busy throughout (the slot passes from this call to the next), so it never has more calls in
     * flight than it allows.
     */
    static final Duration CHAIN_BELOW = Duration.ofMillis(250);

    private void runLane(Registered r, String lane, Claimed claimed) {
        Optional<Claimed> next;
        try {
            next = deliver(r, claimed, !closing && r.sender().pace(lane).compareTo(CHAIN_BELOW) < 0);
        } catch (RuntimeException e) {
            LOG.debug("{} lane {}: the next delivery is left to the next dispatch ({})", r.sink(), lane, io.orderwatch.observe.Problems.oneLine(e));
            next = Optional.empty();
        }
        if (next.isPresent()) {
            Claimed n = next.get();
            try {
                r.pool().execute(() -> runLane(r, lane, n));
                return;
            } catch (RejectedExecutionException e) {
                // shutting down: the claim lapses and the delivery is taken up again after a restart
            }
        }
        r.release(lane);
    }

    private Optional<Claimed> claim(java.sql.Connection c, Registered r, String lane) throws java.sql.SQLException {
        OffsetDateTime now = now();
        DeliveryLedger.Lane l = ledger.lockLane(c, r.sink(), lane, now);
        int limit = Math.max(1, r.sender().inFlight(lane));
        if (limit == 1 ? !l.free(now) : l.nextAt().isAfter(now) || ledger.inFlight(c, r.sink(), lane, now) >= limit) {
            return Optional.empty();
        }
        OffsetDateTime until = now.plus(claimTimeout);
        Optional<DeliveryLedger.Claim> claim = ledger.claimNext(c, r.sink(), lane, now, until);
        if (claim.isEmpty()) {
            return Optional.empty();
        }
        String request = r.sender().prepare(c, claim.get());
        ledger.setPayload(c, claim.get().delivery().id(), request);
        // several in flight: the pace counts from each call's start, as one in flight it counts from its answer
        ledger.setLane(c, r.sink(), lane, limit == 1 ? l.nextAt() : later(l.nextAt(), now.plus(r.sender().pace(lane))), until);
        return Optional.of(new Claimed(claim.get(), request));
    }

    /**
     * Sends a claimed delivery and records the answer; with {@code chain}, the lane's next delivery is
     * claimed in the same transaction as that record (one commit per call instead of two). Claiming
     * it runs behind a savepoint: when it fails, only the claim is undone, never the record.
     */
    private Optional<Claimed> deliver(Registered r, Claimed claimed, boolean chain) {
        Delivery d = claimed.claim().delivery();
        Outcome outcome;
        try {
            outcome = r.sender().send(claimed.claim(), claimed.request());
        } catch (RuntimeException e) {
            outcome = Outcome.Failed.transientFailure(io.orderwatch.observe.Problems.oneLine(e));
        }
        Outcome o = outcome;
        String attempted = r.sender().attempted(claimed.claim());
        try {
            return db.inTransaction(c -> {
                if (attempted != null) {
                    ledger.setPayload(c, d.id(), attempted);
                }
                record(c, r, d, o);
                return chain && !closing ? claimAfterRecord(c, r, d.lane()) : Optional.<Claimed>empty();
            });
        } catch (RuntimeException e) {
            // the peer answered but the ledger could not say so: the claim lapses and the next attempt
            // is "in doubt", so the sink asks the peer before sending again
            LOG.warn("{} delivery {} to {}: the answer could not be recorded ({}); it is checked with the peer when its claim lapses",
                    d.sink(), d.id(), d.target(), io.orderwatch.observe.Problems.oneLine(e));
            return Optional.empty();
        }
    }

    private Optional<Claimed> claimAfterRecord(java.sql.Connection c, Registered r, String lane) throws java.sql.SQLException {
        java.sql.Savepoint before = c.setSavepoint();
        try {
            return claim(c, r, lane);
        } catch (java.sql.SQLException | RuntimeException e) {
            c.rollback(before);
            LOG.debug("{} lane {}: the next delivery is left to the next dispatch ({})", r.sink(), lane, io.orderwatch.observe.Problems.oneLine(e));
            return Optional.empty();
        }
    }

    private void record(java.sql.Connection c, Registered r, Delivery d, Outcome o) throws java.sql.SQLException {
        OffsetDateTime now = now();
        Duration pace = r.sender().pace(d.lane());
        if (o instanceof Outcome.Sent sent) {
            ledger.sent(c, d.id(), sent.peerRef(), now);
            ledger.setLane(c, d.sink(), d.lane(), now.plus(pace), null);
            for (SentListener l : sentListeners) {
                l.sent(c, d, sent.peerRef());
            }
            alarm.cleared(c, d.sink(), d.target());
            metrics.delivery(d.sink(), d.target(), sent.peerRef() != null && sent.peerRef().startsWith("outbox:") ? "outbox" : "sent");
            return;
        }
        Outcome.Failed f = (Outcome.Failed) o;
        boolean exhausted = retry.exhausted(Duration.between(d.createdAt(), now));
        if (!f.permanent() && !exhausted) {
            Duration wait = retry.backoff(d.attempts(), f.retryAfter());
            ledger.retryAt(c, d.id(), f.kind(), f.error(), now.plus(wait), now);
            Duration laneWait = f.retryAfter() != null ? f.retryAfter() : min(wait, LANE_MAX_WAIT);
            ledger.setLane(c, d.sink(), d.lane(), now.plus(max(laneWait, pace)), null);
            metrics.delivery(d.sink(), d.target(), "retry");
            LOG.info("{} delivery {} to {} failed ({}), attempt {}, next in {} s", d.sink(), d.id(), d.target(), f.error(), d.attempts(),
                    wait.toSeconds());
            return;
        }
        String error = f.permanent() ? f.error() : "still failing after " + human(Duration.between(d.createdAt(), now)) + ": " + f.error();
        List<Long> failed = ledger.failed(c, d.id(), f.permanent() ? "permanent" : "expired", error, now);
        ledger.setLane(c, d.sink(), d.lane(), now.plus(pace), null);
        alarm.failed(c, d.sink(), d.target(), error);
        metrics.delivery(d.sink(), d.target(), "failed");
        LOG.warn("{} delivery {} to {} failed for good ({}); {} in the dead letters", d.sink(), d.id(), d.target(), error, failed.size());
    }

    private DeliveryLedger.Backlog backlog(String sink) {
        try {
            return db.read(ledger::backlog).getOrDefault(sink, new DeliveryLedger.Backlog(0, null));
        } catch (RuntimeException e) {
            return new DeliveryLedger.Backlog(-1, null);
        }
    }

    private long safeCount(String state) {
        try {
            return db.read(c -> ledger.countInState(c, state));
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static OffsetDateTime later(OffsetDateTime a, OffsetDateTime b) {
        return a.isAfter(b) ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static String human(Duration d) {
        return d.toHours() >= 1 ? d.toHours() + " h" : d.toMinutes() + " min";
    }

    /** Stops starting deliveries and lets those in flight finish and be recorded (up to 30 s). */
    @Override
    public void close() {
        closing = true;
        for (Registered r : sinks.values()) {
            r.pool().shutdown();
        }
        for (Registered r : sinks.values()) {
            try {
                if (!r.pool().awaitTermination(30, TimeUnit.SECONDS)) {
                    r.pool().shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                r.pool().shutdownNow();
            }
        }
    }
}
