package io.orderwatch.source;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.OffsetDateTime;

/**
 * One event of the order event feed (order-events.md), validated. {@code raw} is the event exactly as
 * received, which is what goes onto the broker.
 */
public record OrderEvent(String eventId, String type, OffsetDateTime occurredAt, String orderId, JsonNode data, String raw) {

    public static final String ORDER_UPSERTED = "ORDER_UPSERTED";
    public static final String ORDER_ITEMS_CHANGED = "ORDER_ITEMS_CHANGED";
    public static final String EXPORT_FAILED = "EXPORT_FAILED";
    public static final String ITEM_LINK_FAILED = "ITEM_LINK_FAILED";
    public static final String CITY_NOT_FOUND = "CITY_NOT_FOUND";
}
