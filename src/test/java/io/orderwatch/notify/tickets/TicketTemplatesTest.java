package io.orderwatch.notify.tickets;

import io.orderwatch.alert.Alert;
import io.orderwatch.alert.AlertState;
import io.orderwatch.model.Courier;
import io.orderwatch.model.Customer;
import io.orderwatch.model.DeliveryType;
import io.orderwatch.model.OpeningHours;
import io.orderwatch.model.Order;
import io.orderwatch.model.OrderStatus;
import io.orderwatch.model.Store;
import io.orderwatch.model.StoreStatus;
import io.orderwatch.notify.SinkConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped escalation rules and templates (config/) against the seed's fields. */
class TicketTemplatesTest {

    static final Path TEMPLATES = Path.of("config/templates/tickets");
    static final ZoneId MSK = ZoneId.of("Europe/Moscow");
    static final OffsetDateTime NOW = OffsetDateTime.parse("2026-11-23T15:00:00+03:00");

    static SinkConfig shipped() throws Exception {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of("config/application.properties"), StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return new SinkConfig() {
            @Override
            public String get(String key, String fallback) {
                String v = p.getProperty(key);
                return v == null || v.startsWith("{{") ? fallback : v;
            }

            @Override
            public Duration duration(String key, String fallback) {
                String v = get(key, fallback).trim();
                long n = Long.parseLong(v.substring(0, v.length() - 1));
                return switch (v.charAt(v.length() - 1)) {
                    case 'h' -> Duration.ofHours(n);
                    case 'm' -> Duration.ofMinutes(n);
                    default -> Duration.ofSeconds(n);
                };
            }

            @Override
            public int positiveInt(String key, int fallback) {
                return Integer.parseInt(get(key, String.valueOf(fallback)));
            }

            @Override
            public List<String> keys(String prefix) {
                return p.stringPropertyNames().stream().filter(k -> k.startsWith(prefix)).sorted().toList();
            }
        };
    }

    static Store store(StoreStatus status) {
        return new Store("st-10442", "Невис, Гатчина, ул. Соборная 7", "ch-nevis", "Невис", "Ленинградская обл., Гатчина, ул. Соборная, 7",
                "Гатчина", "Ленинградская область", "Europe/Moscow", OpeningHours.alwaysOpen(), "+78137112233", 59.5, 30.1, status,
                OffsetDateTime.parse("2026-11-23T14:00:00+03:00"), NOW);
    }

    static Order order(DeliveryType type, OrderStatus status, String invoice, String phone) {
        OffsetDateTime planned = type == DeliveryType.PICKUP ? null : OffsetDateTime.parse("2026-11-23T12:00:00+03:00");
        return new Order("48231192", invoice, "app", OffsetDateTime.parse("2026-11-22T08:02:11+03:00"), NOW.minusHours(1), status,
                OffsetDateTime.parse("2026-11-22T08:03:40+03:00"), type, planned, "st-10442", "Ленинградская область", "Гатчина",
                new Customer("Анна", phone, "anna@example.org"), new BigDecimal("1874.5"), List.of(), null,
                new Courier("Сберлогистика", "TRK1")); // a courier left on a pickup order must not reach its subject
    }

    static Alert alert(String kind, Order o, OffsetDateTime started, Map<String, Object> extra) {
        Map<String, Object> d = new HashMap<>(extra);
        d.put("deliveryType", o.deliveryType().name());
        d.put("status", o.status().name());
        return new Alert(kind + ":" + o.id(), kind, AlertState.FIRING, false, o.id(), o.storeId(), "ch-nevis", o.region(), started,
                NOW, NOW, null, d);
    }

    private static TicketRule rule(TicketSettings s, String name) {
        return s.rules().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    private static Map<String, String> facts(Alert a, Order o, Store s) {
        Map<String, String> f = new HashMap<>(TicketFacts.of(a, o, s, MSK, "https://arm.example.org", NOW.toInstant()));
        f.put(TicketFacts.ADMIN_STATUS, "В доставке");
        return f;
    }

    @Test
    void courierLateIsDueTwoHoursAfterThePlannedDeliveryAndItsSubjectFollowsTheCourierTemplate() throws Exception {
        TicketSettings s = TicketSettings.from(shipped(), TEMPLATES);
        assertEquals(List.of("courier-late", "deleted-store", "pickup-long-wait", "export-failed"), s.rules().stream().map(TicketRule::name).toList());
        Order o = order(DeliveryType.COURIER, OrderStatus.IN_DELIVERY, "ЛО-2611-004417", "+79806561461");
        Alert a = alert("STUCK_ORDER", o, o.plannedDeliveryAt(), Map.of("reason", "PLANNED_DELIVERY_PASSED"));
        TicketRule r = s.rules().stream().filter(x -> x.matches(a, o)).findFirst().orElseThrow();
        assertEquals("courier-late", r.name());
        assertEquals(o.plannedDeliveryAt().plusHours(2), r.dueAt(a).orElseThrow(), "counted from startedAt (the planned delivery)");
        assertEquals("Курьерская доставка — статус заказа", r.category());
        Map<String, String> f = facts(a, o, store(StoreStatus.ACTIVE));
        assertEquals(List.of(), r.template().missing(f));
        assertEquals(List.of("Статус заказа", "Курьерская доставка", "48231192", "ЛО-2611-004417", "Невис, Гатчина, ул. Соборная 7", "22.11.2026",
                "1874.50", "Сберлогистика", "Ленинградская область"), List.of(r.template().subject(f).split(" / ")));
        String body = r.template().body(f);
        assertTrue(body.contains("Плановая дата доставки: 23.11.2026 12:00"), body);
        assertTrue(body.contains("Адрес аптеки: Ленинградская обл., Гатчина, ул. Соборная, 7, тел. +78137112233"), body);
        assertTrue(body.contains("Позвонили в аптеку: нет, обращение создано автоматически"), body);
        assertTrue(body.contains("Статус в админке на момент обращения: В доставке"), body);
        assertTrue(body.contains("Задача второй линии:"), body);

        Order pickup = order(DeliveryType.PICKUP, OrderStatus.READY, "ЛО-1", "+7");
        assertTrue(!r.matches(alert("STUCK_ORDER", pickup, NOW, Map.of("reason", "PLANNED_DELIVERY_PASSED")), pickup));
        assertTrue(!r.matches(alert("STUCK_ORDER", o, NOW, Map.of("reason", "STATUS_TIMEOUT")), o), "a status timeout is not a late delivery");
    }

    @Test
    void pickupLongWaitIsTwiceTheStatusLimitAndHasNoCourierService() throws Exception {
        TicketSettings s = TicketSettings.from(shipped(), TEMPLATES);
        Order o = order(DeliveryType.PICKUP, OrderStatus.ASSEMBLING, "ЛО-2611-004417", "+79806561461");
        Alert a = alert("STUCK_ORDER", o, o.statusChangedAt(), Map.of("reason", "STATUS_TIMEOUT", "limitMinutes", 720));
        TicketRule r = s.rules().stream().filter(x -> x.matches(a, o)).findFirst().orElseThrow();
        assertEquals("pickup-long-wait", r.name());
        assertEquals(o.statusChangedAt().plusHours(24), r.dueAt(a).orElseThrow());
        Map<String, String> f = facts(a, o, store(StoreStatus.ACTIVE));
        assertTrue(!f.containsKey("courierService"), "courier service only for courier orders");
        assertEquals(List.of("Длительное ожидание заказа — статус заказа", "Самовывоз", "48231192", "ЛО-2611-004417",
                "Невис, Гатчина, ул. Соборная 7", "22.11.2026", "1874.50", "Ленинградская область"), List.of(r.template().subject(f).split(" / ")));
        assertTrue(r.template().body(f).contains("в статусе «Собирается»"), r.template().body(f));
    }

    @Test
    void deletedStoreIsDueThirtyMinutesAfterItBeganAndNeedsTheInvoiceAndThePhone() throws Exception {
        TicketSettings s = TicketSettings.from(shipped(), TEMPLATES);
        Order o = order(DeliveryType.PICKUP, OrderStatus.NEW, null, null);
        OffsetDateTime began = OffsetDateTime.parse("2026-11-23T14:00:00+03:00");
        Alert a = alert("DELETED_STORE_ORDER", o, began, Map.of());
        TicketRule r = s.rules().stream().filter(x -> x.matches(a, o)).findFirst().orElseThrow();
        assertEquals("deleted-store", r.name());
        assertEquals(began.plusMinutes(30), r.dueAt(a).orElseThrow());
        assertEquals(List.of("customerPhone", "invoiceNumber"), r.template().missing(facts(a, o, store(StoreStatus.DELETED))).stream().sorted().toList());
        assertEquals(List.of("invoiceNumber", "pharmacyAddress", "pharmacyName"),
                r.template().missing(facts(a, order(DeliveryType.PICKUP, OrderStatus.NEW, null, "+7900"), null)).stream().sorted().toList(),
                "no pharmacy, no invoice: not sent half-empty");
        Order ok = order(DeliveryType.COURIER, OrderStatus.CONFIRMED, "ЛО-7", "+79806561461");
        Map<String, String> f = facts(alert("DELETED_STORE_ORDER", ok, began, Map.of()), ok, store(StoreStatus.DELETED));
        List<String> parts = List.of(r.template().subject(f).split(" / "));
        assertEquals("Сберлогистика", parts.get(7), "a courier order names its courier service before the region");
        assertTrue(r.template().body(f).contains("закрыта (удалена) с 23.11.2026 14:00"), r.template().body(f));
    }

    @Test
    void exportFailureIsDueAfterAnHour() throws Exception {
        TicketSettings s = TicketSettings.from(shipped(), TEMPLATES);
        Order o = order(DeliveryType.PICKUP, OrderStatus.NEW, null, "+79806561461");
        Alert a = alert("EXPORT_FAILED", o, NOW.minusMinutes(70), Map.of("system", "SBIS", "error", "TIMEOUT: нет ответа"));
        TicketRule r = s.rules().stream().filter(x -> x.matches(a, o)).findFirst().orElseThrow();
        assertEquals("export-failed", r.name());
        assertEquals(NOW.minusMinutes(10), r.dueAt(a).orElseThrow());
        Map<String, String> f = facts(a, o, store(StoreStatus.ACTIVE));
        assertEquals(List.of(), r.template().missing(f), "an order not exported has no invoice yet: optional here");
        assertTrue(r.template().body(f).contains("в систему аптеки SBIS"), r.template().body(f));
        assertEquals("Заказ не передан в систему аптеки", r.template().subject(f).split(" / ")[0]);
    }

    @Test
    void aBrokenTemplateOrAnUnknownFactNamesTheFile(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("x.subject.mustache"), "Статус / {{#orderId}}");
        Files.writeString(dir.resolve("x.body.mustache"), "ok");
        TicketTemplate.BadTemplate broken = assertThrows(TicketTemplate.BadTemplate.class, () -> TicketTemplate.load(dir, "x"));
        assertTrue(broken.getMessage().contains("x.subject.mustache") && broken.getMessage().contains("does not parse"), broken.getMessage());
        Files.writeString(dir.resolve("x.subject.mustache"), "Статус / {{orderNumber}}");
        TicketTemplate.BadTemplate unknown = assertThrows(TicketTemplate.BadTemplate.class, () -> TicketTemplate.load(dir, "x"));
        assertTrue(unknown.getMessage().contains("x.subject.mustache") && unknown.getMessage().contains("\"orderNumber\""), unknown.getMessage());
        assertEquals(1, unknown.getMessage().lines().count(), "one line");
    }

    @Test
    void durationsReadAsPeopleSayThem() {
        assertEquals("3 ч 10 мин", TicketFacts.human(Duration.ofMinutes(190)));
        assertEquals("2 д 4 ч", TicketFacts.human(Duration.ofHours(52)));
    }
}
