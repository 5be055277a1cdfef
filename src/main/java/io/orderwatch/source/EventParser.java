package io.orderwatch.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderwatch.model.Json;
import io.orderwatch.model.Order;
import io.orderwatch.model.OrderItem;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a body of one event or a JSON array of events and checks each against order-events.md. The
 * first bad event fails the whole body (then none of it is taken), naming its index and the field.
 */
public final class EventParser {

    private static final Set<String> TYPES = Set.of(OrderEvent.ORDER_UPSERTED, OrderEvent.ORDER_ITEMS_CHANGED,
            OrderEvent.EXPORT_FAILED, OrderEvent.ITEM_LINK_FAILED, OrderEvent.CITY_NOT_FOUND);
    private static final Set<String> PLATFORMS = Set.of("ios", "android", "site");
    private static final ObjectMapper MAPPER = Json.mapper();

    private EventParser() {}

    public static List<OrderEvent> parseBody(String body) throws BadEventException {
        JsonNode root;
        try {
            root = MAPPER.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            throw new BadEventException(0, null, "body is not valid JSON: " + firstLine(e.getOriginalMessage()));
        }
        if (root == null || root.isMissingNode()) {
            throw new BadEventException(0, null, "body is empty");
        }
        List<OrderEvent> out = new ArrayList<>();
        if (root.isArray()) {
            if (root.isEmpty()) {
                throw new BadEventException(0, null, "body is an empty array");
            }
            for (int i = 0; i < root.size(); i++) {
                out.add(parse(root.get(i), i));
            }
        } else {
            out.add(parse(root, 0));
        }
        return out;
    }

    /** Parses one event (from the broker, say); {@code index} only labels the error. */
    /** A city name longer than this is not a city (and would not fit an alert's fingerprint). */
    static final int MAX_CITY_QUERY = 200;

    public static OrderEvent parse(JsonNode e, int index) throws BadEventException {
        if (e == null || !e.isObject()) {
            throw new BadEventException(index, null, "an event must be a JSON object");
        }
        String eventId = text(e, "eventId");
        if (eventId == null || eventId.isBlank()) {
            throw new BadEventException(index, null, "eventId: missing");
        }
        if (eventId.length() > 200) {
            throw new BadEventException(index, null, "eventId: longer than 200 characters");
        }
        String type = text(e, "type");
        if (type == null) {
            throw new BadEventException(index, eventId, "type: missing");
        }
        if (!TYPES.contains(type)) {
            throw new BadEventException(index, eventId, "type: unknown value \"" + type + "\"");
        }
        String occurred = text(e, "occurredAt");
        OffsetDateTime occurredAt;
        try {
            occurredAt = occurred == null ? null : OffsetDateTime.parse(occurred);
        } catch (DateTimeParseException ex) {
            throw new BadEventException(index, eventId, "occurredAt: not an ISO-8601 time \"" + occurred + "\"");
        }
        if (occurredAt == null) {
            throw new BadEventException(index, eventId, "occurredAt: missing");
        }
        JsonNode data = e.get("data");
        if (data == null || !data.isObject()) {
            throw new BadEventException(index, eventId, "data: missing or not an object");
        }
        String orderId = text(e, "orderId");
        if (!type.equals(OrderEvent.CITY_NOT_FOUND) && (orderId == null || orderId.isBlank())) {
            throw new BadEventException(index, eventId, "orderId: missing");
        }
        Optional<String> tooLong = RecordValidator.tooLong("orderId", orderId, RecordValidator.MAX_ID)
                .or(() -> RecordValidator.tooLong("data.storeId", text(data, "storeId"), RecordValidator.MAX_ID))
                .or(() -> RecordValidator.tooLong("data.lineId", text(data, "lineId"), RecordValidator.MAX_ID))
                .or(() -> RecordValidator.tooLong("data.query", text(data, "query"), MAX_CITY_QUERY));
        if (tooLong.isPresent()) {
            throw new BadEventException(index, eventId, tooLong.get());
        }
        Optional<String> problem = dataProblem(type, orderId, data);
        if (problem.isPresent()) {
            throw new BadEventException(index, eventId, problem.get());
        }
        return new OrderEvent(eventId, type, occurredAt, orderId, data, e.toString());
    }

    private static Optional<String> dataProblem(String type, String orderId, JsonNode data) {
        switch (type) {
            case OrderEvent.ORDER_UPSERTED -> {
                Order order;
                try {
                    order = MAPPER.treeToValue(data, Order.class);
                } catch (JsonProcessingException | IllegalArgumentException ex) {
                    return Optional.of("data." + AdminApiClient.reason(ex));
                }
                Optional<String> p = RecordValidator.problem(order);
                if (p.isPresent()) {
                    return Optional.of("data." + p.get());
                }
                if (!order.id().equals(orderId)) {
                    return Optional.of("data.id \"" + order.id() + "\" differs from orderId \"" + orderId + "\"");
                }
            }
            case OrderEvent.ORDER_ITEMS_CHANGED -> {
                for (String side : List.of("before", "after")) {
                    JsonNode items = data.get(side);
                    if (items == null || !items.isArray()) {
                        return Optional.of("data." + side + ": missing or not an array");
                    }
                    try {
                        for (JsonNode i : items) {
                            OrderItem item = MAPPER.treeToValue(i, OrderItem.class);
                            if (item == null) {
                                return Optional.of("data." + side + "[]: null");
                            }
                            if (item.lineId() == null) {
                                return Optional.of("data." + side + "[].lineId: missing");
                            }
                        }
                    } catch (JsonProcessingException ex) {
                        return Optional.of("data." + side + ": " + AdminApiClient.reason(ex));
                    }
                }
                String by = text(data, "changedBy");
                if (by != null && !Set.of("pharmacy", "operator", "customer").contains(by)) {
                    return Optional.of("data.changedBy: unknown value \"" + by + "\"");
                }
            }
            case OrderEvent.EXPORT_FAILED -> {
                if (text(data, "system") == null) {
                    return Optional.of("data.system: missing");
                }
                JsonNode attempt = data.get("attempt");
                if (attempt != null && !attempt.isNull() && !attempt.canConvertToInt()) {
                    return Optional.of("data.attempt: not a whole number");
                }
                JsonNode error = data.get("error");
                if (error != null && !error.isNull() && !error.isObject()) {
                    return Optional.of("data.error: not an object");
                }
            }
            case OrderEvent.ITEM_LINK_FAILED -> {
                if (text(data, "lineId") == null) {
                    return Optional.of("data.lineId: missing");
                }
                if (text(data, "reason") == null) {
                    return Optional.of("data.reason: missing");
                }
            }
            case OrderEvent.CITY_NOT_FOUND -> {
                String query = text(data, "query");
                if (query == null || CityName.normalise(query).isEmpty()) {
                    return Optional.of("data.query: missing");
                }
                String platform = text(data, "platform");
                if (platform != null && !PLATFORMS.contains(platform)) {
                    return Optional.of("data.platform: unknown value \"" + platform + "\"");
                }
                JsonNode contact = data.get("contact");
                if (contact != null && !contact.isNull() && !contact.isObject()) {
                    return Optional.of("data.contact: not an object or null");
                }
            }
            default -> {
                return Optional.of("type: unknown value \"" + type + "\"");
            }
        }
        return Optional.empty();
    }

    /** A field's text, or null when it is absent, null or not a plain value. */
    public static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || !v.isValueNode() ? null : v.asText();
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse(s);
    }
}
