package io.orderwatch.detect;

import io.orderwatch.alert.AlertBook;
import io.orderwatch.alert.AlertKind;
import io.orderwatch.alert.AlertEvent;
import io.orderwatch.alert.Finding;
import io.orderwatch.alert.Scope;
import io.orderwatch.model.Order;
import io.orderwatch.model.Store;
import io.orderwatch.observe.Metrics;
import io.orderwatch.store.Database;
import io.orderwatch.store.OrderSnapshots;
import io.orderwatch.store.StoreDirectory;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The detect stage: takes a normalised order, keeps its snapshot, runs every detector over it and
 * hands the findings to the alert book, all in one transaction. Also re-evaluates open orders for the
 * detections that time alone can change (an order gets stuck by nobody touching it).
 */
public final class OrderEvaluator {

    private final Database db;
    private final OrderSnapshots snapshots;
    private final StoreDirectory stores;
    private final AlertBook book;
    private final List<OrderDetector> detectors;
    /** Kinds whose alerts resolve when their detector no longer finds the condition. */
    private final Set<String> kinds;
    /** Kinds that report something that happened: raised when found, resolved when the order is final. */
    private final Set<String> stickyKinds;
    private final Set<String> timeKinds;
    private final Metrics metrics;
    private final Clock clock;
    private java.util.function.BooleanSupplier paused = () -> false;

    /** While the source is down, snapshots are stale: time-based re-evaluation waits. */
    public OrderEvaluator pauseWhile(java.util.function.BooleanSupplier condition) {
        this.paused = condition;
        return this;
    }

    public OrderEvaluator(Database db, OrderSnapshots snapshots, StoreDirectory stores, AlertBook book,
                          List<OrderDetector> detectors, Metrics metrics, Clock clock) {
        this.db = db;
        this.snapshots = snapshots;
        this.stores = stores;
        this.book = book;
        this.detectors = List.copyOf(detectors);
        this.kinds = detectors.stream().filter(OrderDetector::resolvesWhenAbsent).map(OrderDetector::kind)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        this.stickyKinds = detectors.stream().filter(d -> !d.resolvesWhenAbsent()).map(OrderDetector::kind)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        this.timeKinds = detectors.stream().filter(OrderDetector::timeDependent).map(OrderDetector::kind)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Kinds that events report as well as polls (EXPORT_FAILED, ITEM_LINK_FAILED events), often before
     * the admin system shows them: a version of the order written before the event does not resolve
     * such an alert; a version written after it, or the order becoming final, does.
     */
    private static final Set<String> EVENT_REPORTED = Set.of(AlertKind.EXPORT_FAILED, AlertKind.ITEM_LINK_ERROR);

    /**
     * Takes one version of an order (from a poll page or an event). A version older than the one already
     * stored changes nothing; a repeat of the same version re-evaluates harmlessly.
     */
    public List<AlertEvent> accept(Order order, String source) {
        return db.inTransaction(c -> accept(c, order, source));
    }

    /** Several orders (a page of a poll), each as {@link #accept(Order, String)} takes it, in one transaction. */
    public void acceptAll(List<Order> orders, String source) {
        db.inTransaction(c -> {
            for (Order order : orders) {
                accept(c, order, source);
            }
            return null;
        });
    }

    /** The same, inside the caller's transaction (an event and its effects commit together). */
    public List<AlertEvent> accept(java.sql.Connection c, Order order, String source) throws java.sql.SQLException {
        metrics.orderSeen(source);
        Instant now = clock.instant();
        Order previous = snapshots.find(c, order.id()).orElse(null);
        if (!snapshots.save(c, order, OffsetDateTime.ofInstant(now, ZoneOffset.UTC))) {
            return List.of();
        }
        Store store = stores.find(order.storeId()).orElse(null);
        List<AlertEvent> events = new ArrayList<>(reconcile(c, order, evaluate(detectors, order, store, previous, now)));
        if (previous == null && !order.isFinal()) {
            events.addAll(book.reconcile(c, Scope.raiseOnly(), withPharmacy(c, order, store)));
        }
        count(events);
        return events;
    }

    /**
     * A composition change reported by an event before orderwatch had seen the order has no pharmacy,
     * chain or region: the first version of the order fills them in, so filters and pharmacy or chain
     * silences apply to it.
     */
    private List<Finding> withPharmacy(java.sql.Connection c, Order order, Store store) throws java.sql.SQLException {
        List<Finding> out = new ArrayList<>();
        for (io.orderwatch.alert.Alert a : book.firing(c, order.id(), stickyKinds)) {
            if (a.storeId() == null && order.storeId() != null) {
                out.add(new Finding(a.kind(), a.fingerprint().substring(a.kind().length() + 1), a.orderId(), order.storeId(),
                        store == null ? null : store.chainId(), order.region() != null ? order.region() : store == null ? null : store.region(),
                        a.startedAt(), a.details()));
            }
        }
        return out;
    }

    /** The latest snapshot of an order, in the caller's transaction. */
    public Optional<Order> snapshot(java.sql.Connection c, String orderId) throws java.sql.SQLException {
        return snapshots.find(c, orderId);
    }

    /**
     * Re-runs the time-dependent detectors over every open order and records only what changed: newly
     * stuck orders fire, orders no longer stuck resolve, still-stuck ones are marked as seen.
     */
    public int reevaluateOpenOrders() {
        if (timeKinds.isEmpty() || paused.getAsBoolean()) {
            return 0;
        }
        Instant now = clock.instant();
        Set<String> firing = book.firing(timeKinds);
        List<OrderDetector> timed = detectors.stream().filter(OrderDetector::timeDependent).toList();
        Map<String, List<Finding>> changed = new HashMap<>();
        List<Finding> stillHolding = new ArrayList<>();
        db.read(c -> {
            snapshots.forEachOpen(c, order -> {
                Store store = stores.find(order.storeId()).orElse(null);
                List<Finding> found = evaluate(timed, order, store, null, now);
                Set<String> foundFps = found.stream().map(Finding::fingerprint).collect(Collectors.toSet());
                boolean same = true;
                for (OrderDetector d : timed) {
                    String fp = Finding.fingerprint(d.kind(), order.id());
                    if (foundFps.contains(fp) != firing.contains(fp)) {
                        same = false;
                    }
                }
                if (same) {
                    stillHolding.addAll(found);
                } else {
                    changed.put(order.id(), found);
                }
            });
            return null;
        });
        int changes = 0;
        for (Map.Entry<String, List<Finding>> e : changed.entrySet()) {
            List<AlertEvent> events = book.reconcile(Scope.order(e.getKey(), timeKinds), e.getValue());
            count(events);
            changes += events.size();
        }
        if (!stillHolding.isEmpty()) {
            book.reconcile(Scope.raiseOnly(), stillHolding);
        }
        return changes;
    }

    /** The open orders of a pharmacy whose own state changed (closed, deleted) are looked at again. */
    public int reevaluateStore(String storeId) {
        List<Order> open = new ArrayList<>();
        db.read(c -> {
            snapshots.forEachOpenOfStore(c, storeId, open::add);
            return null;
        });
        Instant now = clock.instant();
        Store store = stores.find(storeId).orElse(null);
        int changes = 0;
        List<OrderDetector> resolving = detectors.stream().filter(OrderDetector::resolvesWhenAbsent).toList();
        for (Order order : open) {
            List<AlertEvent> events = book.reconcile(scopeOf(order), evaluate(resolving, order, store, null, now));
            count(events);
            changes += events.size();
        }
        return changes;
    }

    public Optional<Order> snapshot(String orderId) {
        return db.read(c -> snapshots.find(c, orderId));
    }

    /**
     * Records what the detectors found for one order: conditions in scope resolve when absent, sticky
     * findings only raise, and everything about an order resolves once the order is final.
     */
    public List<AlertEvent> reconcile(java.sql.Connection c, Order order, List<Finding> findings) throws java.sql.SQLException {
        List<Finding> conditions = findings.stream().filter(f -> kinds.contains(f.kind())).toList();
        List<Finding> happenings = findings.stream().filter(f -> !kinds.contains(f.kind())).toList();
        List<AlertEvent> events = new ArrayList<>(book.reconcile(c, scopeOf(order), conditions));
        if (order.isFinal()) {
            events.addAll(book.reconcile(c, Scope.order(order.id(), stickyKinds), List.of()));
        } else if (!happenings.isEmpty()) {
            events.addAll(book.reconcile(c, Scope.raiseOnly(), happenings));
        }
        return events;
    }

    /** What one version of an order speaks for: every kind it is judged on, as of when it was written. */
    private Scope scopeOf(Order order) {
        return order.isFinal() ? Scope.order(order.id(), kinds) : Scope.order(order.id(), kinds).writtenAt(order.updatedAt(), EVENT_REPORTED);
    }

    /** Raises what an event reported (a failure, a change), in the caller's transaction. */
    public List<AlertEvent> raise(java.sql.Connection c, List<Finding> findings) throws java.sql.SQLException {
        List<AlertEvent> events = book.reconcile(c, Scope.raiseOnly(), findings);
        count(events);
        return events;
    }

    public Optional<Store> store(String storeId) {
        return stores.find(storeId);
    }

    private static List<Finding> evaluate(List<OrderDetector> detectors, Order order, Store store, Order previous, Instant now) {
        List<Finding> out = new ArrayList<>();
        for (OrderDetector d : detectors) {
            out.addAll(d.evaluate(order, store, previous, now));
        }
        return out;
    }

    private void count(List<AlertEvent> events) {
        for (AlertEvent e : events) {
            metrics.alertChange(e.alert().kind(), e.alert().state().name());
        }
    }
}
