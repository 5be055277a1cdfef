package io.orderwatch.notify.email;

import io.orderwatch.alert.Alert;
import io.orderwatch.alert.AlertState;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The digest an operator reads: Russian, new orders first, nothing "null", data escaped, storms capped. */
class StuckDigestTest {

    private static final Instant AT = Instant.parse("2026-11-22T07:00:00Z"); // 10:00 in Moscow
    private final StuckDigest digest = new StuckDigest(Path.of("config/templates/email"), ZoneId.of("Europe/Moscow"),
            "https://arm.example.org/", 3);

    @Test
    void newOrdersFirstWithWhatTheOperatorNeeds() {
        Alert old = alert("100", "2026-11-22T04:00:00+03:00", full());
        Alert fresh = alert("200", "2026-11-22T08:30:00+03:00", full());
        OutgoingMail mail = digest.render(List.of(old, fresh), Set.of(fresh.fingerprint()), 2, AT, "<d@o>", "ow@example.org",
                List.of("team@example.org")).orElseThrow();
        assertEquals("Зависшие заказы: 2, новых 1 — 22.11.2026 10:00", mail.subject());
        String text = mail.textBody();
        assertTrue(text.indexOf("Заказ 200") < text.indexOf("Заказ 100"), "the new one comes first");
        assertTrue(text.contains("[НОВЫЙ] Заказ 200 — Передан в аптеку, Самовывоз"), text);
        assertTrue(text.contains("Долго в статусе: 1 ч 30 мин (лимит 1 ч в часы работы аптеки)"), text);
        assertTrue(text.contains("Клиент: Анна, +79806561461; сумма 1874.50 ₽; накладная ЛО-2611-004417"), text);
        assertTrue(text.contains("https://arm.example.org/orders/200"), text);
        assertTrue(text.contains("Разрешились с прошлой сводки: 2"), text);
        assertTrue(mail.htmlBody().contains("href=\"https://arm.example.org/stores/st-1\""), mail.htmlBody());
    }

    @Test
    void missingDetailsNeverRenderNullAndDataIsEscaped() {
        Map<String, Object> sparse = new LinkedHashMap<>();
        sparse.put("status", "NEW");
        sparse.put("storeName", "<script>alert(1)</script>");
        OutgoingMail mail = digest.render(List.of(alert("300", null, sparse)), Set.of(), 0, AT, "<d@o>", "ow@example.org",
                List.of("team@example.org")).orElseThrow();
        assertFalse(mail.textBody().contains("null") || mail.htmlBody().contains("null"), mail.textBody());
        assertFalse(mail.htmlBody().contains("<script>"), "HTML-escaped");
        assertTrue(mail.htmlBody().contains("&lt;script&gt;"));
        assertTrue(mail.textBody().contains("<script>"), "the text part is not HTML-escaped");
    }

    @Test
    void nothingStuckSendsNothingAndStormsAreCapped() {
        assertTrue(digest.render(List.of(), Set.of(), 0, AT, "<d@o>", "ow", List.of("t@example.org")).isEmpty());
        List<Alert> storm = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            storm.add(alert(String.valueOf(1000 + i), "2026-11-22T04:00:00+03:00", full()));
        }
        OutgoingMail mail = digest.render(storm, Set.of(), 0, AT, "<d@o>", "ow", List.of("t@example.org")).orElseThrow();
        assertTrue(mail.textBody().contains("…и ещё 7"), mail.textBody());
        assertEquals(3, mail.textBody().split("Заказ 10").length - 1);
    }

    @Test
    void durationsReadNaturally() {
        assertEquals("45 мин", StuckDigest.duration(java.time.Duration.ofMinutes(45)));
        assertEquals("5 ч 12 мин", StuckDigest.duration(java.time.Duration.ofMinutes(312)));
        assertEquals("2 д 3 ч", StuckDigest.duration(java.time.Duration.ofHours(51)));
    }

    private static Map<String, Object> full() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("reason", "STATUS_TIMEOUT");
        d.put("status", "EXPORTED");
        d.put("deliveryType", "PICKUP");
        d.put("limitMinutes", 60);
        d.put("pharmacyHoursOnly", true);
        d.put("statusChangedAt", "2026-11-22T08:30:00+03:00");
        d.put("invoiceNumber", "ЛО-2611-004417");
        d.put("amount", 1874.5);
        d.put("customerName", "Анна");
        d.put("customerPhone", "+79806561461");
        d.put("storeName", "Невис, Гатчина, ул. Соборная 7");
        d.put("storeAddress", "Ленинградская обл., Гатчина, ул. Соборная, 7");
        d.put("storePhone", "+78137112233");
        return d;
    }

    private static Alert alert(String orderId, String startedAt, Map<String, Object> details) {
        OffsetDateTime started = startedAt == null ? null : OffsetDateTime.parse(startedAt);
        return new Alert("STUCK_ORDER:" + orderId, "STUCK_ORDER", AlertState.FIRING, false, orderId, "st-1", "ch-nevis",
                "Ленинградская область", started, started, started, null, details);
    }
}
