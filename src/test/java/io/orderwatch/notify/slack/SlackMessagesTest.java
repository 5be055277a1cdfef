package io.orderwatch.notify.slack;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.orderwatch.alert.Alert;
import io.orderwatch.alert.AlertState;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SlackMessagesTest {

    private static final OffsetDateTime STARTED = OffsetDateTime.parse("2026-11-22T08:33:40+03:00");
    private static final Instant NOW = Instant.parse("2026-11-22T07:40:00Z");
    private final SlackMessages messages = new SlackMessages("https://arm.example.org", ZoneId.of("Europe/Moscow"), 15,
            "{base}/orders?chainId={chainId}");

    static Alert exportFailed(String orderId, String storeName, String error) {
        Map<String, Object> d = new HashMap<>();
        d.put("system", "SBIS");
        d.put("attempts", 3);
        d.put("error", error);
        d.put("storeName", storeName);
        d.put("chainName", "Невис");
        return new Alert("EXPORT_FAILED:" + orderId, "EXPORT_FAILED", AlertState.FIRING, false, orderId, "st-10442", "ch-nevis",
                "Ленинградская область", STARTED, STARTED, STARTED, null, d);
    }

    @Test
    void oneAlertIsAMessageWithItsFullDetails() {
        Map<String, Object> d = new HashMap<>(exportFailed("48231192", "Невис, Гатчина", "TIMEOUT").details());
        d.put("status", "EXPORTED");
        d.put("deliveryType", "PICKUP");
        d.put("customerName", "Анна Петровна Смирнова");
        d.put("customerPhone", "+79806561461");
        Alert a = new Alert("EXPORT_FAILED:48231192", "EXPORT_FAILED", AlertState.FIRING, false, "48231192", "st-10442", "ch-nevis",
                "Ленинградская область", STARTED, STARTED, STARTED, null, d);
        SlackMessages.Rendered r = messages.group("EXPORT_FAILED", List.of(new SlackMessages.Member(a, false)), NOW);
        String json = new SlackCall(SlackCall.POST, "#c", null, null, r.text(), r.blocks(), "m").toJson();
        assertTrue(r.text().startsWith("🔴 Заказ не передан в аптеку · 48231192. Ошибка: SBIS: TIMEOUT"), r.text());
        for (String fact : List.of("<https://arm.example.org/orders/48231192|48231192>", "<https://arm.example.org/stores/st-10442|Невис, Гатчина>",
                "Невис", "Ленинградская область", "Передан в аптеку", "Самовывоз", "22.11 08:33 (2 ч 6 мин)", "Анна, +7 9** ***-**-61",
                "попыток: 3")) {
            assertTrue(json.contains(fact), fact + " in " + json);
        }
        assertFalse(json.contains("Смирнова") || json.contains("+79806561461"), "no surname, no full phone");
    }

    @Test
    void aStormIsACountTheFirstLinesAndTheRestCounted() {
        List<SlackMessages.Member> members = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            members.add(new SlackMessages.Member(exportFailed(String.valueOf(48230000 + i), "Невис №" + i, "TIMEOUT"), i < 30));
        }
        SlackMessages.Rendered r = messages.group("EXPORT_FAILED", members, NOW);
        JsonObject body = body(r);
        JsonArray blocks = body.getAsJsonArray("blocks");
        assertEquals("🔴 Заказы не переданы в аптеку: 120 · Невис", blocks.get(0).getAsJsonObject().getAsJsonObject("text").get("text").getAsString());
        String all = blocks.toString();
        assertTrue(all.contains("Открыто: *90*, решено: *30*"), all);
        assertTrue(all.contains("*У всех:* SBIS: TIMEOUT"), "a chain failing with one error says it once");
        assertTrue(all.contains("…и ещё 105"), all);
        assertTrue(all.contains("• ~48230000~ ✅"), "a resolved line is struck");
        assertTrue(all.contains("<https://arm.example.org/orders?chainId=ch-nevis|все заказы сети в админке>"), all);
        assertWithinLimits(blocks);
    }

    @Test
    void everyAlertResolvedMarksTheHeader() {
        List<SlackMessages.Member> members = List.of(new SlackMessages.Member(exportFailed("1", "a", "E"), true),
                new SlackMessages.Member(exportFailed("2", "b", "E"), true));
        SlackMessages.Rendered r = messages.group("EXPORT_FAILED", members, NOW);
        assertTrue(r.text().startsWith("✅ Заказы не переданы в аптеку: 2"), r.text());
    }

    @Test
    void hostileDataComesOutEscapedAndCutEverywhere() {
        String hostile = "<!channel> <@U0123> *жирный* <script>alert(1)</script>\r\nX-Injected: yes " + "я".repeat(10_000);
        List<SlackMessages.Member> members = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            members.add(new SlackMessages.Member(exportFailed(hostile + i, hostile, hostile), false));
        }
        for (List<SlackMessages.Member> m : List.of(members.subList(0, 1), members)) {
            SlackMessages.Rendered r = messages.group("EXPORT_FAILED", m, NOW);
            JsonObject body = body(r);
            String all = body.toString();
            assertFalse(all.contains("<!channel>") || all.contains("<@U0123>") || all.contains("<script>"), "nothing smuggled");
            assertFalse(all.contains("\\r") , "no CR from data");
            assertTrue(r.text().length() <= 3000);
            assertWithinLimits(body.getAsJsonArray("blocks"));
        }
        SlackMessages.Rendered reply = messages.resolved(members.stream().map(SlackMessages.Member::alert).toList());
        String all = body(reply).toString();
        assertFalse(all.contains("<!channel>") || all.contains("<script>"));
        assertWithinLimits(body(reply).getAsJsonArray("blocks"));
    }

    @Test
    void theReplyNamesWhatResolvedAndWhen() {
        Alert a = exportFailed("48231192", "Невис", "E");
        Alert resolved = new Alert(a.fingerprint(), a.kind(), AlertState.RESOLVED, false, a.orderId(), a.storeId(), a.chainId(), a.region(),
                a.startedAt(), a.firstSeenAt(), a.lastSeenAt(), OffsetDateTime.parse("2026-11-22T10:15:00+03:00"), a.details());
        SlackMessages.Rendered r = messages.resolved(List.of(resolved));
        assertEquals("✅ Решено: заказ 48231192, 22.11 10:15", r.text());
    }

    private static JsonObject body(SlackMessages.Rendered r) {
        return JsonParser.parseString(new SlackCall(SlackCall.POST, "#c", null, null, r.text(), r.blocks(), "m").toJson())
                .getAsJsonObject().getAsJsonObject("body");
    }

    static void assertWithinLimits(JsonArray blocks) {
        assertTrue(blocks.size() <= 50, "at most 50 blocks, got " + blocks.size());
        for (JsonElement e : blocks) {
            JsonObject b = e.getAsJsonObject();
            String type = b.get("type").getAsString();
            if (type.equals("header")) {
                assertTrue(b.getAsJsonObject("text").get("text").getAsString().length() <= 150, "header within 150");
            }
            if (type.equals("section") && b.has("text")) {
                assertTrue(b.getAsJsonObject("text").get("text").getAsString().length() <= 3000, "section within 3000");
            }
            if (type.equals("section") && b.has("fields")) {
                assertTrue(b.getAsJsonArray("fields").size() <= 10);
                b.getAsJsonArray("fields").forEach(f -> assertTrue(f.getAsJsonObject().get("text").getAsString().length() <= 2000));
            }
        }
    }
}
