package io.orderwatch.demo;

import io.orderwatch.model.Order;
import io.orderwatch.model.OrderItem;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A second admin dialect for the demo: the same orders as the reference API, the way an older admin
 * system of another marketplace would serve them (GET /legacy/orders?changed_from=&page=&per_page=):
 * upper-case field names, numeric ids, its own status codes, times as "2026-11-22 08:00:00+0300",
 * amounts as strings, pages by number. routes/poll-foreign-orders.camel.yaml reads it and
 * config/mappings/foreign-orders.jslt maps it back to the reference Order.
 */
public final class LegacyDialect {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ssZ");

    private static final Map<String, String> STATUS = Map.of("NEW", "new", "EXPORTED", "sent", "CONFIRMED", "accepted",
            "ASSEMBLING", "picking", "READY", "ready", "IN_DELIVERY", "on_the_way", "COMPLETED", "done",
            "CANCELLED", "cancelled", "REFUNDED", "refunded");
    private static final Map<String, String> EXPORT = Map.of("PENDING", "queued", "SENT", "sent", "ACKNOWLEDGED", "ok", "FAILED", "failed");

    private LegacyDialect() {}

    public static String time(OffsetDateTime t) {
        return t == null ? null : TIME.format(t);
    }

    /** One order in the legacy dialect. */
    public static Map<String, Object> order(Order o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ORDER_ID", numericOrText(o.id()));
        m.put("ACCOUNT_NUMBER", o.invoiceNumber());
        m.put("STATUS", o.status() == null ? null : STATUS.get(o.status().name()));
        m.put("DATE_INSERT", time(o.createdAt()));
        m.put("DATE_UPDATE", time(o.updatedAt()));
        m.put("DATE_STATUS", time(o.statusChangedAt()));
        m.put("DELIVERY", o.deliveryType() == null ? null : o.deliveryType().name().toLowerCase(java.util.Locale.ROOT));
        m.put("DELIVERY_PLAN", time(o.plannedDeliveryAt()));
        Map<String, Object> pharmacy = new LinkedHashMap<>();
        pharmacy.put("ID", o.storeId());
        pharmacy.put("REGION", o.region());
        pharmacy.put("CITY", o.city());
        m.put("PHARMACY", pharmacy);
        if (o.customer() != null) {
            Map<String, Object> buyer = new LinkedHashMap<>();
            buyer.put("NAME", o.customer().name());
            buyer.put("PHONE", o.customer().phone());
            m.put("BUYER", buyer);
        }
        m.put("TOTAL", o.amount() == null ? null : o.amount().toPlainString());
        List<Map<String, Object>> basket = new ArrayList<>();
        for (OrderItem i : o.items()) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("LINE", numericOrText(i.lineId()));
            line.put("PRODUCT", i.productId());
            line.put("NAME", i.name());
            line.put("QTY", i.quantity());
            line.put("PRICE", i.price() == null ? null : i.price().toPlainString());
            line.put("PHARMACY_SKU", i.storeSku());
            line.put("LINK_ERROR", i.linkError());
            basket.add(line);
        }
        m.put("BASKET", basket);
        if (o.export() != null) {
            Map<String, Object> ex = new LinkedHashMap<>();
            ex.put("STATE", o.export().state() == null ? null : EXPORT.get(o.export().state().name()));
            ex.put("SYSTEM", o.export().system());
            ex.put("ATTEMPTS", o.export().attempts());
            ex.put("LAST_TRY", time(o.export().lastAttemptAt()));
            if (o.export().error() != null) {
                ex.put("ERROR_CODE", o.export().error().code());
                ex.put("ERROR_TEXT", o.export().error().message());
            }
            m.put("EXPORT", ex);
        }
        return m;
    }

    /**
     * One page: orders changed at or after {@code changedFrom} (null: all), ordered by (updatedAt, id),
     * as {@code {"page": n, "pages": total, "orders": [...]}}.
     */
    public static Map<String, Object> page(List<Order> all, OffsetDateTime changedFrom, int page, int perPage) {
        List<Order> matching = new ArrayList<>();
        for (Order o : all) {
            if (changedFrom == null || !o.updatedAt().toInstant().isBefore(changedFrom.toInstant())) {
                matching.add(o);
            }
        }
        matching.sort(java.util.Comparator.comparing((Order o) -> o.updatedAt().toInstant()).thenComparing(Order::id));
        int pages = Math.max(1, (matching.size() + perPage - 1) / perPage);
        List<Map<String, Object>> orders = new ArrayList<>();
        for (int i = (page - 1) * perPage; i < Math.min(matching.size(), page * perPage); i++) {
            orders.add(order(matching.get(i)));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("page", page);
        body.put("pages", pages);
        body.put("orders", orders);
        return body;
    }

    private static Object numericOrText(String id) {
        if (id != null && id.matches("[1-9][0-9]{0,17}")) {
            return Long.parseLong(id);
        }
        return id;
    }
}
