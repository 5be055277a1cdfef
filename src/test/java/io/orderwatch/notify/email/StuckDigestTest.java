package io.orderwatch.notify.email;

import io.orderwatch.alert.Alert;
import io.orderwatch.alert.AlertState;
import io.orderwatch.model.OpeningHours;
import io.orderwatch.model.Store;
import io.orderwatch.model.StoreStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The digest an operator reads: grouped by pharmacy, longest wait first, the pharmacy's local time and
 * whether it is open, Russian, nothing "null", data escaped, storms capped; broken templates stop start-up.
 */
class StuckDigestTest {

    private static final Instant AT = Instant.parse("2026-11-22T07:00:00Z"); // 10:00 in Moscow, 17:00 in Vladivostok
    private static final MailTemplates TEMPLATES = new MailTemplates(Path.of("config/templates/email"));
    private final StuckDigest digest = new StuckDigest(TEMPLATES, ZoneId.of("Europe/Moscow"), "https://arm.example.org/", 3);

    private static final Store GATCHINA = store("st-1", "Europe/Moscow", allWeek("09:00-21:00"));
    private static final Store VLADIVOSTOK = store("st-2", "Asia/Vladivostok", allWeek("09:00-16:00"));

    private static StuckDigest.Input input(List<Alert> firing, Set<String> newOnes, List<Alert> resolved, Instant catchUp, String late) {
        return new StuckDigest.Input(firing, newOnes, resolved, AT, catchUp, late,
                id -> Optional.ofNullable(Map.of("st-1", GATCHINA, "st-2", VLADIVOSTOK).get(id)));
    }

    @Test
    void groupedByPharmacyLongestWaitFirstWithWhatTheOperatorNeeds() {
        Alert gatchinaOld = alert("100", "st-1", "2026-11-22T04:00:00+03:00", full("EXPORTED", "2026-11-22T04:00:00+03:00"));
        Alert gatchinaNew = alert("200", "st-1", "2026-11-22T08:30:00+03:00", full("EXPORTED", "2026-11-22T08:30:00+03:00"));
        Map<String, Object> far = full("READY", "2026-11-18T08:30:00+03:00");
        far.put("storeName", "Дальфарм, Владивосток");
        far.put("storeAddress", "Океанский пр., 12");
        Alert vvo = alert("300", "st-2", "2026-11-18T08:30:00+03:00", far);
        MailTemplates.Rendered mail = digest.render(input(List.of(gatchinaNew, vvo, gatchinaOld), Set.of(gatchinaNew.fingerprint()),
                List.of(alert("900", "st-1", null, Map.of()), alert("901", "st-1", null, Map.of())), null, null));
        assertEquals("Зависшие заказы: 3 (Передан в аптеку 2, Готов к выдаче 1), новых 1, решено 2 — 22.11.2026 10:00", mail.subject());
        String text = mail.text();
        assertTrue(text.indexOf("Дальфарм") < text.indexOf("Невис"), "the pharmacy with the longest wait comes first: " + text);
        assertTrue(text.indexOf("Заказ 100") < text.indexOf("Заказ 200"), "within a pharmacy, the longest wait first");
        assertEquals(1, text.split("Ленинградская обл., Гатчина, ул. Соборная, 7", -1).length - 1, "the address once per pharmacy: " + text);
        assertTrue(text.contains("[НОВЫЙ] Заказ 200 — Передан в аптеку, Самовывоз"), text);
        assertTrue(text.contains("Долго в статусе: 1 ч 30 мин (лимит 1 ч в часы работы аптеки)"), text);
        assertTrue(text.contains("Клиент: Анна, +79806561461; сумма 1874.50 ₽; накладная ЛО-2611-004417"), text);
        assertTrue(text.contains("https://arm.example.org/orders/200"), text);
        assertTrue(text.contains("Сейчас: открыта, местное время 10:00"), text);
        assertTrue(text.contains("Сейчас: закрыта до завтра 09:00 по местному времени (сейчас 17:00)"), text);
        assertTrue(text.contains("Решено с прошлой сводки: 2 — 900 901"), text);
        assertTrue(mailHtml(mail).contains("href=\"https://arm.example.org/stores/st-1\""), mail.html());
    }

    @Test
    void catchUpAndLatenessAreSaid() {
        Alert a = alert("100", "st-1", "2026-11-22T04:00:00+03:00", full("EXPORTED", "2026-11-22T04:00:00+03:00"));
        MailTemplates.Rendered mail = digest.render(input(List.of(a), Set.of(a.fingerprint()), List.of(),
                Instant.parse("2026-11-21T20:00:00Z"), "почта была недоступна: SMTP 127.0.0.1:25 unavailable"));
        assertTrue(mail.subject().startsWith("[Сводка за нерабочее время] Зависшие заказы: 1"), mail.subject());
        assertTrue(mail.text().contains("Первая сводка смены: с конца прошлой смены (21.11.2026 23:00) началось 1, решено 0."), mail.text());
        assertTrue(mail.text().contains("ВНИМАНИЕ: сводка опоздала. Причина: почта была недоступна"), mail.text());
        assertTrue(mail.html().contains("Сводка опоздала."), mail.html());
    }

    @Test
    void missingDetailsNeverRenderNullAndDataIsEscaped() {
        Map<String, Object> sparse = new LinkedHashMap<>();
        sparse.put("status", "NEW");
        sparse.put("storeName", "<script>alert(1)</script>");
        MailTemplates.Rendered mail = digest.render(input(List.of(alert("300", "st-9", null, sparse)), Set.of(), List.of(), null, null));
        assertFalse(mail.text().contains("null") || mail.html().contains("null"), mail.text());
        assertFalse(mail.html().contains("<script>"), "HTML-escaped");
        assertTrue(mail.html().contains("&lt;script&gt;"));
        assertTrue(mail.text().contains("<script>"), "the text part is not HTML-escaped");
    }

    @Test
    void stormsAreCapped() {
        List<Alert> storm = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            storm.add(alert(String.valueOf(1000 + i), "st-1", "2026-11-22T04:00:00+03:00", full("EXPORTED", "2026-11-22T04:00:00+03:00")));
        }
        MailTemplates.Rendered mail = digest.render(input(storm, Set.of(), List.of(), null, null));
        assertTrue(mail.text().contains("…и ещё 7"), mail.text());
        assertEquals(3, mail.text().split("Заказ 10").length - 1);
    }

    @Test
    void aBrokenTemplateStopsStartUpNamingTheFile(@TempDir Path dir) throws Exception {
        try (var files = Files.list(Path.of("config/templates/email"))) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        Files.writeString(dir.resolve("city-digest.html.mustache"), "<p>{{#cities}}{{city}}</p>");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MailTemplates(dir));
        assertTrue(e.getMessage().startsWith("e-mail template " + dir.resolve("city-digest.html.mustache") + " is broken: "), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        Files.delete(dir.resolve("city-digest.html.mustache"));
        e = assertThrows(IllegalArgumentException.class, () -> new MailTemplates(dir));
        assertTrue(e.getMessage().endsWith("city-digest.html.mustache is missing"), e.getMessage());
    }

    private static String mailHtml(MailTemplates.Rendered r) {
        return r.html();
    }

    static Map<String, String> allWeek(String hours) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String d : List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun")) {
            m.put(d, hours);
        }
        return m;
    }

    static Store store(String id, String zone, Map<String, String> hours) {
        return new Store(id, "Аптека " + id, "ch", "Невис", "адрес", "город", "регион", zone, OpeningHours.weekly(hours), "+70000000000",
                null, null, StoreStatus.ACTIVE, null, OffsetDateTime.parse("2026-11-01T00:00:00Z"));
    }

    static Map<String, Object> full(String status, String since) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("reason", "STATUS_TIMEOUT");
        d.put("status", status);
        d.put("deliveryType", "PICKUP");
        d.put("limitMinutes", 60);
        d.put("pharmacyHoursOnly", true);
        d.put("statusChangedAt", since);
        d.put("invoiceNumber", "ЛО-2611-004417");
        d.put("amount", 1874.5);
        d.put("customerName", "Анна");
        d.put("customerPhone", "+79806561461");
        d.put("storeName", "Невис, Гатчина, ул. Соборная 7");
        d.put("chainName", "Невис");
        d.put("storeAddress", "Ленинградская обл., Гатчина, ул. Соборная, 7");
        d.put("storePhone", "+78137112233");
        return d;
    }

    static Alert alert(String orderId, String storeId, String startedAt, Map<String, Object> details) {
        OffsetDateTime started = startedAt == null ? null : OffsetDateTime.parse(startedAt);
        return new Alert("STUCK_ORDER:" + orderId, "STUCK_ORDER", AlertState.FIRING, false, orderId, storeId, "ch-nevis",
                "Ленинградская область", started, started, started, null, details);
    }
}
