package io.orderwatch.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.orderwatch.model.Json;
import io.orderwatch.model.Order;
import io.orderwatch.model.OrderItem;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes the events of order-events.md. Event ids are name-based UUIDs of (seed, start of the world,
 * running number): the same world on the same clock repeats them exactly, while a restarted world
 * sends new events that an intake's de-duplication will not swallow.
 */
final class DemoEvents {

    static final String ORDER_UPSERTED = "ORDER_UPSERTED";
    static final String ORDER_ITEMS_CHANGED = "ORDER_ITEMS_CHANGED";
    static final String EXPORT_FAILED = "EXPORT_FAILED";
    static final String ITEM_LINK_FAILED = "ITEM_LINK_FAILED";
    static final String CITY_NOT_FOUND = "CITY_NOT_FOUND";

    private final String run;
    private long sequence;

    DemoEvents(long seed, Instant start) {
        this.run = "orderwatch-demo/" + seed + "/" + start.toEpochMilli() + "/";
    }

    String orderUpserted(Order order, OffsetDateTime at) {
        return event(ORDER_UPSERTED, order.id(), order, at);
    }

    String itemsChanged(Order order, List<OrderItem> before, String changedBy, OffsetDateTime at) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("before", before);
        data.put("after", order.items());
        data.put("changedBy", changedBy);
        return event(ORDER_ITEMS_CHANGED, order.id(), data, at);
    }

    /** From the order's export facts: its system, its attempt count and its last error. */
    String exportFailed(Order order, OffsetDateTime at) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("storeId", order.storeId());
        data.put("system", order.export().system());
        data.put("attempt", order.export().attempts());
        data.put("error", order.export().error());
        return event(EXPORT_FAILED, order.id(), data, at);
    }

    String itemLinkFailed(Order order, OrderItem item, OffsetDateTime at) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("storeId", order.storeId());
        data.put("lineId", item.lineId());
        data.put("productId", item.productId());
        data.put("reason", item.linkError());
        return event(ITEM_LINK_FAILED, order.id(), data, at);
    }

    /** {@code email} and {@code phone} may each be null; both null means no contact at all. */
    String cityNotFound(String query, String platform, String email, String phone, OffsetDateTime at) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("query", query);
        data.put("platform", platform);
        if (email == null && phone == null) {
            data.put("contact", null);
        } else {
            Map<String, Object> contact = new LinkedHashMap<>();
            contact.put("email", email);
            contact.put("phone", phone);
            data.put("contact", contact);
        }
        return event(CITY_NOT_FOUND, null, data, at);
    }

    private String event(String type, String orderId, Object data, OffsetDateTime at) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("eventId", UUID.nameUUIDFromBytes((run + sequence++).getBytes(StandardCharsets.UTF_8)).toString());
        e.put("type", type);
        e.put("occurredAt", at);
        if (orderId != null) {
            e.put("orderId", orderId);
        }
        e.put("data", data);
        try {
            return Json.mapper().writeValueAsString(e);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot write a " + type + " event", ex);
        }
    }
}
