package io.orderwatch.detect;

import io.orderwatch.alert.AlertKind;
import io.orderwatch.alert.Finding;
import io.orderwatch.model.Order;
import io.orderwatch.model.OrderItem;
import io.orderwatch.model.Store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * ITEM_LINK_ERROR: an order line the pharmacy cannot see (no storeSku, or a linkError), one alert per
 * line ({@code orderId:lineId}), so fixing one line resolves exactly that line.
 */
public final class ItemLinkErrorDetector implements OrderDetector {

    public static final String NO_STORE_SKU = "NO_STORE_SKU";

    @Override
    public String kind() {
        return AlertKind.ITEM_LINK_ERROR;
    }

    @Override
    public List<Finding> evaluate(Order order, Store store, Order previous, Instant now) {
        if (order.isFinal()) {
            return List.of();
        }
        List<Finding> out = List.of();
        for (OrderItem item : order.items()) {
            if (item.isUnlinked()) {
                if (out.isEmpty()) {
                    out = new ArrayList<>(2);
                }
                String reason = item.linkError() != null ? item.linkError() : NO_STORE_SKU;
                out.add(finding(order.id(), order.storeId(), store, order.region(), item.lineId(), item.productId(), item.name(),
                        reason, order.createdAt(), order));
            }
        }
        return out;
    }

    /** The same finding from an ITEM_LINK_FAILED event. */
    public static Finding finding(String orderId, String storeId, Store store, String region, String lineId, String productId,
                                  String name, String reason, OffsetDateTime startedAt) {
        return finding(orderId, storeId, store, region, lineId, productId, name, reason, startedAt, null);
    }

    /** With the order where it is known: its status and delivery type go into the details too. */
    static Finding finding(String orderId, String storeId, Store store, String region, String lineId, String productId,
                           String name, String reason, OffsetDateTime startedAt, io.orderwatch.model.Order order) {
        Details d = new Details().put("lineId", lineId).put("productId", productId).put("name", name).put("reason", reason);
        if (order != null) {
            d.put("status", order.status() == null ? null : order.status().name())
                    .put("deliveryType", order.deliveryType() == null ? null : order.deliveryType().name());
        }
        if (store != null) {
            d.put("storeName", store.name()).put("chainName", store.chainName());
        }
        return new Finding(AlertKind.ITEM_LINK_ERROR, orderId + ":" + lineId, orderId, storeId, store == null ? null : store.chainId(),
                region != null ? region : store == null ? null : store.region(), startedAt, d.map());
    }
}
