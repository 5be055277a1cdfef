package io.orderwatch.detect;

import io.orderwatch.alert.AlertKind;
import io.orderwatch.alert.Finding;
import io.orderwatch.model.ExportState;
import io.orderwatch.model.Order;
import io.orderwatch.model.Store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

/** EXPORT_FAILED: the order never reached the pharmacy's system. Carries the system, attempts and error. */
public final class ExportFailedDetector implements OrderDetector {

    @Override
    public String kind() {
        return AlertKind.EXPORT_FAILED;
    }

    @Override
    public List<Finding> evaluate(Order order, Store store, Order previous, Instant now) {
        if (order.isFinal() || order.export() == null || order.export().state() != ExportState.FAILED) {
            return List.of();
        }
        return List.of(finding(order.id(), order.storeId(), store, order.region(), order.export().system(),
                order.export().attempts(), order.export().error() == null ? null : order.export().error().describe(),
                order.export().lastAttemptAt() != null ? order.export().lastAttemptAt() : order.updatedAt(), order));
    }

    /** The same finding from an EXPORT_FAILED event, so either way gives one alert. */
    public static Finding finding(String orderId, String storeId, Store store, String region, String system, int attempts,
                                  String error, OffsetDateTime startedAt) {
        return finding(orderId, storeId, store, region, system, attempts, error, startedAt, null);
    }

    /** With the order where it is known: its status and delivery type go into the details too. */
    static Finding finding(String orderId, String storeId, Store store, String region, String system, int attempts,
                           String error, OffsetDateTime startedAt, io.orderwatch.model.Order order) {
        Details d = new Details().put("system", system).put("attempts", attempts).put("error", error);
        if (order != null) {
            d.put("status", order.status() == null ? null : order.status().name())
                    .put("deliveryType", order.deliveryType() == null ? null : order.deliveryType().name());
        }
        if (store != null) {
            d.put("storeName", store.name()).put("chainName", store.chainName());
        }
        return new Finding(AlertKind.EXPORT_FAILED, orderId, orderId, storeId, store == null ? null : store.chainId(),
                region != null ? region : store == null ? null : store.region(), startedAt, d.map());
    }
}
