package io.orderwatch.detect;

import io.orderwatch.alert.AlertKind;
import io.orderwatch.alert.Finding;
import io.orderwatch.model.Order;
import io.orderwatch.model.Store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * DELETED_STORE_ORDER: a non-final order routed to a pharmacy that is closed for good. Also raised for
 * the open orders of a pharmacy that becomes deleted (the store poller re-evaluates them).
 */
public final class DeletedStoreOrderDetector implements OrderDetector {

    @Override
    public String kind() {
        return AlertKind.DELETED_STORE_ORDER;
    }

    @Override
    public List<Finding> evaluate(Order order, Store store, Order previous, Instant now) {
        if (order.isFinal() || store == null || !store.isDeleted()) {
            return List.of();
        }
        // the problem began when the order met the deleted pharmacy: whichever came later
        OffsetDateTime started = later(store.statusChangedAt(), order.createdAt());
        Details d = new Details()
                .put("status", order.status().name())
                .put("deliveryType", order.deliveryType().name())
                .put("storeName", store.name())
                .put("storeAddress", store.address())
                .put("chainName", store.chainName())
                .put("storeDeletedAt", store.statusChangedAt() == null ? null : store.statusChangedAt().toString())
                .put("city", order.city())
                .put("amount", order.amount());
        return List.of(new Finding(kind(), order.id(), order.id(), order.storeId(), store.chainId(), order.region(), started, d.map()));
    }

    static OffsetDateTime later(OffsetDateTime a, OffsetDateTime b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.isAfter(b) ? a : b;
    }
}
