package io.orderwatch.detect;

import io.orderwatch.alert.AlertKind;
import io.orderwatch.alert.Finding;
import io.orderwatch.model.Order;
import io.orderwatch.model.Store;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * STUCK_ORDER: a non-final order that has been in its status longer than that status's limit for its
 * delivery type, or a courier, express or post order past its planned delivery time plus a grace.
 *
 * <p>Statuses that wait on the pharmacy count only its opening hours in its own time zone: an order
 * placed at 22:00 in Vladivostok is not late at 02:00 there. A "24/7" pharmacy always counts; a
 * pharmacy orderwatch has not seen yet counts wall-clock time.
 */
public final class StuckOrderDetector implements OrderDetector {

    public static final String REASON_STATUS_TIMEOUT = "STATUS_TIMEOUT";
    public static final String REASON_PLANNED_DELIVERY_PASSED = "PLANNED_DELIVERY_PASSED";

    private final StuckLimits limits;

    public StuckOrderDetector(StuckLimits limits) {
        this.limits = limits;
    }

    @Override
    public String kind() {
        return AlertKind.STUCK_ORDER;
    }

    @Override
    public boolean timeDependent() {
        return true;
    }

    @Override
    public List<Finding> evaluate(Order order, Store store, Order previous, Instant now) {
        if (order.isFinal() || order.status() == null) {
            return List.of();
        }
        // The promised time passing is what the customer feels first, so it wins over a status timeout.
        if (order.deliveryType() != null && order.deliveryType().hasPlannedDelivery() && order.plannedDeliveryAt() != null) {
            Instant due = order.plannedDeliveryAt().toInstant().plus(limits.plannedDeliveryGrace());
            if (now.isAfter(due)) {
                return List.of(finding(order, store, order.plannedDeliveryAt(), REASON_PLANNED_DELIVERY_PASSED,
                        limits.plannedDeliveryGrace(), false));
            }
        }
        Optional<Duration> limit = limits.limit(order.status(), order.deliveryType());
        if (limit.isEmpty() || order.statusChangedAt() == null) {
            return List.of();
        }
        Instant since = order.statusChangedAt().toInstant();
        if (Duration.between(since, now).compareTo(limit.get()) <= 0) {
            return List.of(); // open time never exceeds wall-clock time: no need to walk the opening hours
        }
        boolean pharmacyClock = limits.countsPharmacyHours(order.status()) && store != null && store.openingHours() != null;
        Duration elapsed = pharmacyClock
                ? store.openingHours().openTimeBetween(since, now, zoneOf(store))
                : Duration.between(since, now);
        if (elapsed.compareTo(limit.get()) <= 0) {
            return List.of();
        }
        return List.of(finding(order, store, order.statusChangedAt(), REASON_STATUS_TIMEOUT, limit.get(), pharmacyClock));
    }

    /**
     * Details stay the same while the order stays stuck (no "overdue by" that changes every minute), so a
     * re-evaluation that finds nothing new writes nothing; readers compute how long from statusChangedAt.
     */
    private Finding finding(Order order, Store store, OffsetDateTime startedAt, String reason, Duration limit,
                            boolean pharmacyClock) {
        Details d = new Details(20)
                .put("reason", reason)
                .put("status", order.status().name())
                .put("deliveryType", order.deliveryType() == null ? null : order.deliveryType().name())
                .put("limitMinutes", limit.toMinutes())
                .put("pharmacyHoursOnly", pharmacyClock)
                .put("statusChangedAt", order.statusChangedAt() == null ? null : order.statusChangedAt().toString())
                .put("plannedDeliveryAt", order.plannedDeliveryAt() == null ? null : order.plannedDeliveryAt().toString())
                .put("invoiceNumber", order.invoiceNumber())
                .put("amount", order.amount())
                .put("city", order.city())
                .put("source", order.source());
        if (order.customer() != null) {
            d.put("customerName", order.customer().name()).put("customerPhone", order.customer().phone());
        }
        if (order.courier() != null) {
            d.put("courierService", order.courier().service());
        }
        if (store != null) {
            d.put("storeName", store.name()).put("storeAddress", store.address())
                    .put("storePhone", store.phone()).put("chainName", store.chainName());
        }
        return new Finding(kind(), order.id(), order.id(), order.storeId(), store == null ? null : store.chainId(),
                order.region(), startedAt, d.map());
    }

    /** Zone ids resolved once each: a few dozen zones, looked up for every stuck order. */
    private static final Map<String, ZoneId> ZONES = new ConcurrentHashMap<>();
    private static final ZoneId DEFAULT_ZONE = ZoneId.of("Europe/Moscow");

    private static ZoneId zoneOf(Store store) {
        if (store.timezone() == null) {
            return DEFAULT_ZONE;
        }
        ZoneId known = ZONES.get(store.timezone());
        return known != null ? known : ZONES.computeIfAbsent(store.timezone(), id -> {
            try {
                return ZoneId.of(id);
            } catch (DateTimeException e) {
                return DEFAULT_ZONE;
            }
        });
    }
}
