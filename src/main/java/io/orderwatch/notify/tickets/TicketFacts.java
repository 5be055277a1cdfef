package io.orderwatch.notify.tickets;

import io.orderwatch.alert.Alert;
import io.orderwatch.model.DeliveryType;
import io.orderwatch.model.Order;
import io.orderwatch.model.Store;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The facts a ticket template may name, in Russian as the second line reads them, from the alert, the
 * order as orderwatch last saw it and its pharmacy. A fact that is not known is absent (never an empty
 * string), so a template can tell it is missing.
 */
public final class TicketFacts {

    /** Filled just before sending, read afresh from the admin API. */
    public static final String ADMIN_STATUS = "adminStatus";
    public static final String PHARMACY_CALLED = "нет, обращение создано автоматически";

    /** Every fact a template may name; a template naming another stops start-up. */
    public static final Set<String> KNOWN = Set.of("orderId", "invoiceNumber", "orderType", "orderDate", "amount", "region", "city",
            "courierService", "pharmacyName", "pharmacyAddress", "pharmacyPhone", "chainName", "plannedDelivery", "overdue", "statusSeen",
            ADMIN_STATUS, "customerName", "customerPhone", "since", "waited", "statusLimit", "exportSystem", "exportError",
            "pharmacyDeletedAt", "pharmacyCalled", "orderLink");

    /** What the second line calls each fact when it is missing. */
    static final Map<String, String> NAMES = Map.ofEntries(Map.entry("orderId", "номер заказа"), Map.entry("invoiceNumber", "номер накладной"),
            Map.entry("orderType", "тип заказа"), Map.entry("orderDate", "дата заказа"), Map.entry("amount", "сумма"),
            Map.entry("region", "регион"), Map.entry("city", "город"), Map.entry("courierService", "служба доставки"),
            Map.entry("pharmacyName", "аптека"), Map.entry("pharmacyAddress", "адрес аптеки"), Map.entry("pharmacyPhone", "телефон аптеки"),
            Map.entry("chainName", "сеть"), Map.entry("plannedDelivery", "плановая дата доставки"), Map.entry("overdue", "просрочка"),
            Map.entry("statusSeen", "статус"), Map.entry(ADMIN_STATUS, "статус в админке"), Map.entry("customerName", "имя клиента"),
            Map.entry("customerPhone", "телефон клиента"), Map.entry("since", "начало проблемы"), Map.entry("waited", "длительность"),
            Map.entry("statusLimit", "лимит статуса"), Map.entry("exportSystem", "система аптеки"), Map.entry("exportError", "ошибка"),
            Map.entry("pharmacyDeletedAt", "дата закрытия аптеки"), Map.entry("pharmacyCalled", "звонок в аптеку"),
            Map.entry("orderLink", "ссылка на заказ"));

    static final Map<String, String> STATUS = Map.of("NEW", "Новый", "EXPORTED", "Передан в аптеку", "CONFIRMED", "Подтверждён аптекой",
            "ASSEMBLING", "Собирается", "READY", "Готов", "IN_DELIVERY", "В доставке", "COMPLETED", "Выполнен", "CANCELLED", "Отменён",
            "REFUNDED", "Возврат");
    static final Map<String, String> ORDER_TYPE = Map.of("PICKUP", "Самовывоз", "COURIER", "Курьерская доставка",
            "EXPRESS", "Экспресс-доставка", "POST", "Почта России");

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd.MM.yyyy");
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm");

    private TicketFacts() {}

    /**
     * @param order  the order as last seen (the snapshot), or null
     * @param store  its pharmacy, or null
     */
    public static Map<String, String> of(Alert a, Order order, Store store, ZoneId zone, String adminUiUrl, Instant now) {
        Map<String, String> f = new LinkedHashMap<>();
        Map<String, Object> d = a.details();
        put(f, "orderId", a.orderId());
        String type = order != null && order.deliveryType() != null ? order.deliveryType().name() : str(d.get("deliveryType"));
        put(f, "orderType", type == null ? null : ORDER_TYPE.getOrDefault(type, type));
        put(f, "region", a.region() != null ? a.region() : order != null ? order.region() : null);
        put(f, "statusSeen", label(order != null && order.status() != null ? order.status().name() : str(d.get("status"))));
        if (order != null) {
            put(f, "invoiceNumber", order.invoiceNumber());
            put(f, "orderDate", order.createdAt() == null ? null : DATE.format(order.createdAt().atZoneSameInstant(zone)));
            put(f, "amount", order.amount() == null ? null : order.amount().setScale(2, RoundingMode.HALF_UP).toPlainString());
            put(f, "city", order.city());
            if (order.deliveryType() != null && order.deliveryType() != DeliveryType.PICKUP && order.courier() != null) {
                put(f, "courierService", order.courier().service()); // courier orders only
            }
            if (order.plannedDeliveryAt() != null) {
                put(f, "plannedDelivery", DATE_TIME.format(order.plannedDeliveryAt().atZoneSameInstant(zone)));
                Duration late = Duration.between(order.plannedDeliveryAt().toInstant(), now);
                if (!late.isNegative()) {
                    put(f, "overdue", human(late));
                }
            }
            if (order.customer() != null) {
                put(f, "customerName", order.customer().name());
                put(f, "customerPhone", order.customer().phone());
            }
        } else {
            put(f, "invoiceNumber", str(d.get("invoiceNumber")));
            put(f, "amount", d.get("amount") == null ? null : new BigDecimal(String.valueOf(d.get("amount"))).setScale(2, RoundingMode.HALF_UP).toPlainString());
            put(f, "customerName", str(d.get("customerName")));
            put(f, "customerPhone", str(d.get("customerPhone")));
            put(f, "courierService", "PICKUP".equals(type) ? null : str(d.get("courierService")));
        }
        if (store != null) {
            put(f, "pharmacyName", store.name());
            put(f, "pharmacyAddress", store.address());
            put(f, "pharmacyPhone", store.phone());
            put(f, "chainName", store.chainName());
            if (store.isDeleted() && store.statusChangedAt() != null) {
                put(f, "pharmacyDeletedAt", DATE_TIME.format(store.statusChangedAt().atZoneSameInstant(zone)));
            }
        } else {
            put(f, "pharmacyName", str(d.get("storeName")));
            put(f, "pharmacyAddress", str(d.get("storeAddress")));
            put(f, "pharmacyPhone", str(d.get("storePhone")));
            put(f, "chainName", str(d.get("chainName")));
        }
        if (a.startedAt() != null) {
            put(f, "since", DATE_TIME.format(a.startedAt().atZoneSameInstant(zone)));
            put(f, "waited", human(Duration.between(a.startedAt().toInstant(), now)));
        }
        if (d.get("limitMinutes") instanceof Number n) {
            put(f, "statusLimit", human(Duration.ofMinutes(n.longValue())));
        }
        put(f, "exportSystem", str(d.get("system")));
        put(f, "exportError", str(d.get("error")));
        put(f, "pharmacyCalled", PHARMACY_CALLED);
        if (a.orderId() != null && adminUiUrl != null && !adminUiUrl.isBlank()) {
            put(f, "orderLink", withoutTrailingSlashes(adminUiUrl) + "/orders/" + a.orderId());
        }
        return f;
    }

    /** The URL without its trailing slashes (what replaceAll("/+$", "") did, without compiling a pattern per ticket). */
    private static String withoutTrailingSlashes(String url) {
        int end = url.length();
        while (end > 0 && url.charAt(end - 1) == '/') {
            end--;
        }
        return url.substring(0, end);
    }

    static String label(String status) {
        return status == null ? null : STATUS.getOrDefault(status, status);
    }

    /** "3 ч 10 мин", "2 д 4 ч", "25 мин". */
    static String human(Duration d) {
        long minutes = Math.max(0, d.toMinutes());
        long days = minutes / (24 * 60);
        long hours = minutes / 60 % 24;
        long mins = minutes % 60;
        if (days > 0) {
            return days + " д" + (hours > 0 ? " " + hours + " ч" : "");
        }
        if (hours > 0) {
            return hours + " ч" + (mins > 0 ? " " + mins + " мин" : "");
        }
        return mins + " мин";
    }

    private static void put(Map<String, String> f, String key, String value) {
        if (value != null && !value.isBlank()) {
            f.put(key, value.strip());
        }
    }

    private static String str(Object o) {
        return o == null ? null : String.valueOf(o);
    }
}
