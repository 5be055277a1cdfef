package io.orderwatch.model;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

/** An order as the reference admin API serves it (admin-api.md). Unknown fields are ignored when parsing. */
public record Order(
        String id,
        String invoiceNumber,
        String source,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        OrderStatus status,
        OffsetDateTime statusChangedAt,
        DeliveryType deliveryType,
        OffsetDateTime plannedDeliveryAt,
        String storeId,
        String region,
        String city,
        Customer customer,
        BigDecimal amount,
        List<OrderItem> items,
        ExportInfo export,
        Courier courier) {

    public Order {
        items = items == null ? List.of() : List.copyOf(items);
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isFinal() {
        return status != null && status.isFinal();
    }
}
