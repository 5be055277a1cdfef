package io.orderwatch.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.orderwatch.alert.AlertKind;
import io.orderwatch.alert.Finding;
import io.orderwatch.detect.CityRequests;
import io.orderwatch.detect.CompositionChangeDetector;
import io.orderwatch.detect.ExportFailedDetector;
import io.orderwatch.detect.ItemLinkErrorDetector;
import io.orderwatch.detect.OrderEvaluator;
import io.orderwatch.model.Json;
import io.orderwatch.model.Order;
import io.orderwatch.model.OrderItem;
import io.orderwatch.model.Store;
import io.orderwatch.observe.LogText;
import io.orderwatch.observe.Metrics;
import io.orderwatch.store.AlertStore;
import io.orderwatch.store.Database;
import io.orderwatch.store.ProcessedEvents;
import io.orderwatch.store.Quarantine;
import io.orderwatch.store.StoredAlert;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * Takes one event from orders.events: a repeated eventId has no further effect (checked and recorded
 * in the same transaction as the event's effects); an event that does not follow the contract is
 * quarantined with its raw JSON and the reason, never retried forever and never dropped. A valid event
 * whose processing fails is redelivered by the broker, and quarantined only on its last delivery.
 */
public final class EventProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(EventProcessor.class);
    private static final TypeReference<List<OrderItem>> ITEMS = new TypeReference<>() {};
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final Database db;
    private final ProcessedEvents processed;
    private final OrderEvaluator evaluator;
    private final AlertStore alerts;
    private final Quarantine quarantine;
    private final Metrics metrics;
    private final Clock clock;

    public EventProcessor(Database db, ProcessedEvents processed, OrderEvaluator evaluator, AlertStore alerts,
                          Quarantine quarantine, Metrics metrics, Clock clock) {
        this.db = db;
        this.processed = processed;
        this.evaluator = evaluator;
        this.alerts = alerts;
        this.quarantine = quarantine;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Processes an event outside the broker (no redelivery to wait for): every attempt is the last.
     *
     * @return {@code processed}, {@code duplicate} or {@code quarantined}
     */
    public String process(String raw) {
        return process(raw, 1, 1);
    }

    /**
     * Processes one delivery of an event from orders.events. A valid event whose processing fails is
     * retried like any other failure: the exception rolls the delivery back and the broker redelivers
     * with backoff. Only on the last delivery the broker makes ({@code deliveryCount} reaching
     * {@code maxDeliveryAttempts}) is it quarantined with the reason, in the same transaction that
     * marks its eventId taken, so it is never half-recorded (taken, yet not kept).
     *
     * @param deliveryCount       the broker's JMSXDeliveryCount, 1 for the first delivery; null counts as a first
     * @param maxDeliveryAttempts deliveries the broker makes before it dead-letters a message
     * @return {@code processed}, {@code duplicate} or {@code quarantined}
     */
    public String process(String raw, Integer deliveryCount, int maxDeliveryAttempts) {
        OrderEvent event;
        try {
            event = EventParser.parse(Json.mapper().readTree(raw), 0);
        } catch (BadEventException e) {
            return reject(raw, e.eventId(), e.reason());
        } catch (JsonProcessingException e) {
            return reject(raw, null, "not valid JSON: " + e.getOriginalMessage());
        }
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        try {
            return db.inTransaction(c -> {
                if (!processed.markNew(c, event.eventId(), event.type(), now)) {
                    return "duplicate";
                }
                apply(c, event);
                return "processed";
            });
        } catch (io.orderwatch.store.StoreException e) {
            throw e; // the database: roll back, the broker redelivers
        } catch (RuntimeException e) {
            int delivery = deliveryCount == null ? 1 : deliveryCount;
            if (delivery < maxDeliveryAttempts) {
                // perhaps passing (a pharmacy not stored yet, a bug hit by a race): roll back, the broker redelivers
                throw new IllegalStateException("event " + LogText.escape(event.eventId()) + " (" + LogText.escape(event.type())
                        + ") failed on delivery " + delivery + " of " + maxDeliveryAttempts + ": " + LogText.escape(String.valueOf(e)), e);
            }
            // the last delivery: redelivering would fail the same way, so it is kept with the reason, once
            return quarantineUnprocessable(raw, event, e, delivery, now);
        }
    }

    private String quarantineUnprocessable(String raw, OrderEvent event, RuntimeException failure, int deliveries, OffsetDateTime now) {
        String reason = "could not be processed: " + failure;
        String outcome = db.inTransaction(c -> {
            if (!processed.markNew(c, event.eventId(), event.type(), now)) {
                return "duplicate"; // taken meanwhile by another consumer
            }
            quarantine.add(c, "events", event.eventId(), reason, raw, now);
            return "quarantined";
        });
        if (outcome.equals("quarantined")) {
            metrics.rejected("events");
            LOG.error("Quarantined event {} ({}): it could not be processed in {} deliver{}: {}", LogText.escape(event.eventId()),
                    LogText.escape(event.type()), deliveries, deliveries == 1 ? "y" : "ies", LogText.escape(String.valueOf(failure)), failure);
        }
        return outcome;
    }

    private void apply(Connection c, OrderEvent e) throws SQLException {
        JsonNode data = e.data();
        switch (e.type()) {
            case OrderEvent.ORDER_UPSERTED -> evaluator.accept(c, convert(data, Order.class), "event");
            case OrderEvent.ORDER_ITEMS_CHANGED -> {
                Order snapshot = evaluator.snapshot(c, e.orderId()).orElse(null);
                List<OrderItem> before = Json.mapper().convertValue(data.get("before"), ITEMS);
                List<OrderItem> after = Json.mapper().convertValue(data.get("after"), ITEMS);
                String storeId = snapshot == null ? null : snapshot.storeId();
                Store store = storeId == null ? null : evaluator.store(storeId).orElse(null);
                if (snapshot != null && snapshot.isFinal()) {
                    return; // nothing left to confirm with the customer
                }
                evaluator.raise(c, List.of(CompositionChangeDetector.finding(e.orderId(), storeId, store,
                        snapshot == null ? null : snapshot.region(), before, after, EventParser.text(data, "changedBy"), e.occurredAt())));
            }
            case OrderEvent.EXPORT_FAILED -> {
                String storeId = EventParser.text(data, "storeId");
                Store store = storeId == null ? null : evaluator.store(storeId).orElse(null);
                Order snapshot = evaluator.snapshot(c, e.orderId()).orElse(null);
                if (snapshot != null && snapshot.isFinal()) {
                    return; // a late report about a completed or cancelled order: nothing to do for it
                }
                JsonNode error = data.get("error");
                String described = error == null || error.isNull() ? null
                        : new io.orderwatch.model.ExportError(EventParser.text(error, "code"), EventParser.text(error, "message")).describe();
                evaluator.raise(c, List.of(ExportFailedDetector.finding(e.orderId(), storeId != null ? storeId : snapshot == null ? null : snapshot.storeId(),
                        store, snapshot == null ? null : snapshot.region(), EventParser.text(data, "system"),
                        data.path("attempt").asInt(0), described, e.occurredAt())));
            }
            case OrderEvent.ITEM_LINK_FAILED -> {
                String storeId = EventParser.text(data, "storeId");
                Store store = storeId == null ? null : evaluator.store(storeId).orElse(null);
                Order snapshot = evaluator.snapshot(c, e.orderId()).orElse(null);
                if (snapshot != null && snapshot.isFinal()) {
                    return;
                }
                String lineId = EventParser.text(data, "lineId");
                String name = snapshot == null ? null : snapshot.items().stream().filter(i -> lineId.equals(i.lineId()))
                        .map(OrderItem::name).filter(java.util.Objects::nonNull).findFirst().orElse(null); // a line may have no name
                evaluator.raise(c, List.of(ItemLinkErrorDetector.finding(e.orderId(), storeId, store,
                        snapshot == null ? null : snapshot.region(), lineId, EventParser.text(data, "productId"), name,
                        EventParser.text(data, "reason"), e.occurredAt())));
            }
            case OrderEvent.CITY_NOT_FOUND -> {
                String query = EventParser.text(data, "query");
                String fp = Finding.fingerprint(AlertKind.CITY_REQUEST, io.orderwatch.source.CityName.normalise(query));
                StoredAlert known = alerts.lock(c, List.of(fp)).get(fp);
                JsonNode contact = data.get("contact");
                Map<String, Object> contactMap = contact == null || contact.isNull() ? null : Json.mapper().convertValue(contact, MAP);
                if (contactMap != null) {
                    contactMap.values().removeIf(java.util.Objects::isNull);
                }
                evaluator.raise(c, List.of(CityRequests.merge(query, EventParser.text(data, "platform"), contactMap, e.occurredAt(),
                        known == null ? null : known.alert().details(), known == null ? null : known.alert().startedAt())));
            }
            default -> throw new IllegalStateException("unreachable: " + e.type());
        }
    }

    private String reject(String raw, String eventId, String reason) {
        metrics.rejected("events");
        quarantine.add("events", eventId, reason, raw, OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC));
        LOG.warn("Quarantined a bad event{}: {}", eventId == null ? "" : " (eventId " + LogText.escape(eventId) + ")", LogText.escape(reason));
        return "quarantined";
    }

    private static <T> T convert(JsonNode node, Class<T> type) {
        try {
            return Json.mapper().treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("validated data no longer parses: " + e.getOriginalMessage(), e);
        }
    }
}
