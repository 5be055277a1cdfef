package io.orderwatch.demo;

import io.orderwatch.model.Courier;
import io.orderwatch.model.Customer;
import io.orderwatch.model.DeliveryType;
import io.orderwatch.model.ExportInfo;
import io.orderwatch.model.Order;
import io.orderwatch.model.OrderItem;
import io.orderwatch.model.OrderStatus;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** A mutable copy of an {@link Order}, so that a change touches only the fields it means to. */
final class OrderDraft {

    String id;
    String invoiceNumber;
    String source;
    OffsetDateTime createdAt;
    OffsetDateTime updatedAt;
    OrderStatus status;
    OffsetDateTime statusChangedAt;
    DeliveryType deliveryType;
    OffsetDateTime plannedDeliveryAt;
    String storeId;
    String region;
    String city;
    Customer customer;
    BigDecimal amount;
    List<OrderItem> items = new ArrayList<>();
    ExportInfo export;
    Courier courier;

    static OrderDraft of(Order o) {
        OrderDraft d = new OrderDraft();
        d.id = o.id();
        d.invoiceNumber = o.invoiceNumber();
        d.source = o.source();
        d.createdAt = o.createdAt();
        d.updatedAt = o.updatedAt();
        d.status = o.status();
        d.statusChangedAt = o.statusChangedAt();
        d.deliveryType = o.deliveryType();
        d.plannedDeliveryAt = o.plannedDeliveryAt();
        d.storeId = o.storeId();
        d.region = o.region();
        d.city = o.city();
        d.customer = o.customer();
        d.amount = o.amount();
        d.items = new ArrayList<>(o.items());
        d.export = o.export();
        d.courier = o.courier();
        return d;
    }

    /** Moves the order into a status; a change of status is also a change of statusChangedAt. */
    OrderDraft status(OrderStatus next, OffsetDateTime at) {
        if (next != status) {
            status = next;
            statusChangedAt = at;
        }
        return this;
    }

    /** Sets the lines and the amount that follows from them. */
    OrderDraft items(List<OrderItem> lines) {
        items = new ArrayList<>(lines);
        amount = total(lines);
        return this;
    }

    Order build() {
        return new Order(id, invoiceNumber, source, createdAt, updatedAt, status, statusChangedAt, deliveryType,
                plannedDeliveryAt, storeId, region, city, customer, amount, items, export, courier);
    }

    static BigDecimal total(List<OrderItem> lines) {
        BigDecimal sum = BigDecimal.ZERO;
        for (OrderItem i : lines) {
            sum = sum.add(i.price().multiply(BigDecimal.valueOf(i.quantity())));
        }
        return sum.setScale(2, RoundingMode.HALF_UP);
    }
}
