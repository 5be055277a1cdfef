package io.orderwatch.source;

import io.orderwatch.detect.OrderEvaluator;
import io.orderwatch.model.Order;
import io.orderwatch.model.Store;
import io.orderwatch.observe.LogText;
import io.orderwatch.observe.Metrics;
import io.orderwatch.store.Database;
import io.orderwatch.store.Quarantine;
import io.orderwatch.store.SourceHealth;
import io.orderwatch.store.StoreDirectory;
import io.orderwatch.store.Watermarks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The pollers' logic: incremental reads of stores and orders by {@code updatedSince}, resuming from a
 * persisted watermark minus an overlap window (our clock and the admin system's differ; a late write
 * must not be missed, and a re-read record is an upsert). Bad records go to quarantine and never stop
 * a poll; the watermark still moves.
 */
public final class AdminPoller {

    private static final Logger LOG = LoggerFactory.getLogger(AdminPoller.class);
    public static final String ORDERS = "orders";
    public static final String STORES = "stores";
    /**
     * A page's orders are stored and judged in transactions of up to this many (with H2's WRITE_DELAY=0
     * each commit writes to the file: one per order held a poll of 500 to about 20 orders a second). A
     * failure rolls back only its own transaction and ends the poll run, as it did for one order; the
     * watermark does not move, so the next run reads them again.
     */
    static final int ORDERS_PER_TRANSACTION = 100;

    private final AdminApiClient client;
    private final OrderEvaluator evaluator;
    private final StoreDirectory stores;
    private final Database db;
    private final Watermarks watermarks;
    private final Quarantine quarantine;
    private final Metrics metrics;
    private final Duration overlap;
    private final Clock clock;
    private final AtomicBoolean storesLoaded = new AtomicBoolean();
    /** Per source (orders, stores): failing or not, since when, shared by every instance. */
    private final SourceHealth health;
    /** What this instance last saw failing, for its log. */
    private final Map<String, String> seenFailing = new ConcurrentHashMap<>();
    private SourceDownAlarm alarm = SourceDownAlarm.NONE;
    private Duration downAfter = Duration.ofMinutes(5);

    /** What to tell when the admin API has failed for longer than {@code after}, and when it answers again. */
    public interface SourceDownAlarm {
        void down(String problem, java.time.Instant since);

        void up();

        SourceDownAlarm NONE = new SourceDownAlarm() {
            @Override
            public void down(String problem, java.time.Instant since) {
            }

            @Override
            public void up() {
            }
        };
    }

    public AdminPoller withSourceDownAlarm(SourceDownAlarm alarm, Duration after) {
        this.alarm = alarm;
        this.downAfter = after;
        return this;
    }

    /**
     * True while the last poll of orders or of stores failed: time-based detection waits, so nothing
     * fires or resolves on stale data.
     */
    public boolean isDown() {
        return !health.failing().isEmpty();
    }

    public AdminPoller(AdminApiClient client, OrderEvaluator evaluator, StoreDirectory stores, Database db,
                       Watermarks watermarks, Quarantine quarantine, SourceHealth health, Metrics metrics, Duration overlap,
                       Clock clock) {
        this.health = health;
        this.client = client;
        this.evaluator = evaluator;
        this.stores = stores;
        this.db = db;
        this.watermarks = watermarks;
        this.quarantine = quarantine;
        this.metrics = metrics;
        this.overlap = overlap;
        this.clock = clock;
    }

    public PollResult pollStores() {
        OffsetDateTime since = watermarks.get(STORES).map(w -> w.minus(overlap)).orElse(null);
        PollResult result = guarded(STORES, () -> client.pollStores(since, new RecordSink<>() {
            @Override
            public void accept(Store store) {
                metrics.storeSeen();
                if (stores.unchanged(store)) {
                    return; // re-read as stored (the overlap window): no transaction, no write
                }
                Optional<Store> before = db.inTransaction(c -> stores.save(c, store));
                // a pharmacy seen for the first time may already have orders, judged until now without it
                if (before.isEmpty() || before.get() != store && matters(before.get(), store)) {
                    evaluator.reevaluateStore(store.id());
                }
            }

            @Override
            public void reject(RejectedRecord r) {
                quarantine(r);
            }
        }));
        storesLoaded.set(true);
        advance(STORES, result);
        return result;
    }

    public PollResult pollOrders() {
        if (!storesLoaded.get()) {
            // an order's pharmacy hours and status are needed to judge it: load pharmacies first. When
            // they cannot be read, orders are still taken, judged by the pharmacies already stored
            // (and re-judged as each pharmacy arrives); the stores' failure is recorded and alarmed.
            try {
                pollStores();
            } catch (SourceUnavailableException e) {
                LOG.warn("Pharmacies could not be read before orders: {}", e.getMessage());
            }
        }
        OffsetDateTime since = watermarks.get(ORDERS).map(w -> w.minus(overlap)).orElse(null);
        PollResult result = guarded(ORDERS, () -> client.pollOrders(since, new RecordSink<>() {
            private final List<Order> held = new ArrayList<>();

            @Override
            public void accept(Order order) {
                held.add(order);
                if (held.size() >= ORDERS_PER_TRANSACTION) {
                    endOfPage();
                }
            }

            @Override
            public void reject(RejectedRecord r) {
                quarantine(r);
            }

            @Override
            public void endOfPage() {
                if (held.isEmpty()) {
                    return;
                }
                List<Order> orders = List.copyOf(held);
                held.clear();
                evaluator.acceptAll(orders, "poll");
            }
        }));
        advance(ORDERS, result);
        if (result.accepted() > 0 || result.rejected() > 0) {
            LOG.debug("Polled {} orders ({} rejected) in {} pages, {} ms", result.accepted(), result.rejected(),
                    result.pages(), result.duration().toMillis());
        }
        return result;
    }

    /** Readiness of the admin API as the pollers last saw it. */
    public Optional<String> problem() {
        return health.failing().values().stream().findFirst();
    }

    /**
     * Runs one poll of a source and keeps the admin API's state: down once any source has failed for
     * longer than {@code downAfter} (orders failing while stores answer is still down), up again only
     * when every source answers. The alarm is told "up" after every good poll while nothing fails, so
     * a SOURCE_DOWN left firing by a stopped instance, or before a restart, resolves too.
     */
    private PollResult guarded(String source, java.util.function.Supplier<PollResult> poll) {
        try {
            PollResult r = poll.get();
            if (seenFailing.remove(source) != null) {
                LOG.info("Admin API is answering again ({})", source);
            }
            health.ok(source);
            if (health.failing().isEmpty()) {
                alarm.up();
            }
            return r;
        } catch (SourceUnavailableException e) {
            metrics.pollFailed(source);
            seenFailing.put(source, e.getMessage());
            java.time.Instant now = clock.instant();
            java.time.Instant since = health.failed(source, e.getMessage(), now);
            if (!now.isBefore(since.plus(downAfter))) {
                alarm.down(e.getMessage(), since);
            }
            throw e;
        }
    }

    private void advance(String source, PollResult result) {
        if (result.maxUpdatedAt() != null) {
            watermarks.advance(source, result.maxUpdatedAt(), OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC));
        }
    }

    /** Once per bad version: a record re-read inside the overlap window is not quarantined, counted or logged again. */
    private void quarantine(RejectedRecord r) {
        if (!quarantine.add(r.source(), r.recordId(), r.reason(), r.rawJson(), OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC))) {
            return;
        }
        metrics.rejected(r.source());
        LOG.warn("Quarantined a bad {} record{}: {}", r.source(), r.recordId() == null ? "" : " (id " + LogText.escape(r.recordId()) + ")",
                LogText.escape(r.reason()));
    }

    /** A change of status, hours or zone can change what its open orders mean. */
    private static boolean matters(Store before, Store after) {
        return before.status() != after.status()
                || !Objects.equals(before.timezone(), after.timezone())
                || !Objects.equals(String.valueOf(before.openingHours()), String.valueOf(after.openingHours()));
    }
}
