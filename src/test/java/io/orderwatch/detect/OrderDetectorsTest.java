package io.orderwatch.detect;

import io.orderwatch.alert.Finding;
import io.orderwatch.model.DeliveryType;
import io.orderwatch.model.ExportError;
import io.orderwatch.model.ExportInfo;
import io.orderwatch.model.ExportState;
import io.orderwatch.model.OpeningHours;
import io.orderwatch.model.Order;
import io.orderwatch.model.OrderItem;
import io.orderwatch.model.OrderStatus;
import io.orderwatch.model.Store;
import io.orderwatch.model.StoreStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The order-scoped detections besides stuck orders, including every status. */
class OrderDetectorsTest {

    private static final Instant NOW = Instant.parse("2026-11-22T07:00:00Z");
    private static final OffsetDateTime T = OffsetDateTime.parse("2026-11-22T09:00:00+03:00");
    private static final OrderItem LINKED = new OrderItem("1", "p-1", "Нурофен", 1, new BigDecimal("412.00"), "S-1", null);
    private static final OrderItem NO_SKU = new OrderItem("2", "p-2", "Аквалор", 2, new BigDecimal("731.25"), null, null);
    private static final OrderItem MISMATCH = new OrderItem("3", "p-3", "Смекта", 1, new BigDecimal("241"), "S-3", "PRICE_MISMATCH");

    static Order order(OrderStatus status, List<OrderItem> items, ExportInfo export) {
        return new Order("100", null, "app", T.minusHours(1), T, status, T, DeliveryType.PICKUP, null, "st-1", "Москва", "Москва",
                null, new BigDecimal("1874.50"), items, export, null);
    }

    static Store store(StoreStatus status) {
        return new Store("st-1", "Невис, Гатчина", "ch-nevis", "Невис", "Гатчина, Соборная 7", "Гатчина", "Ленинградская область",
                "Europe/Moscow", OpeningHours.alwaysOpen(), "+7813", 59.5, 30.1, status, T.minusMinutes(30), T);
    }

    @ParameterizedTest
    @EnumSource(OrderStatus.class)
    void deletedStoreOnlyForOpenOrders(OrderStatus status) {
        List<Finding> f = new DeletedStoreOrderDetector().evaluate(order(status, List.of(), null), store(StoreStatus.DELETED), null, NOW);
        assertEquals(status.isFinal() ? 0 : 1, f.size());
        assertTrue(new DeletedStoreOrderDetector().evaluate(order(status, List.of(), null), store(StoreStatus.DISABLED), null, NOW).isEmpty(),
                "a temporarily disabled pharmacy is not a deleted one");
        if (!status.isFinal()) {
            assertEquals("DELETED_STORE_ORDER:100", f.get(0).fingerprint());
            assertEquals("ch-nevis", f.get(0).chainId());
            assertEquals(T.minusMinutes(30).toInstant(), f.get(0).startedAt().toInstant(), "the later of deletion (T-30m) and order creation (T-1h)");
        }
    }

    @ParameterizedTest
    @EnumSource(ExportState.class)
    void exportFailedOnlyWhenFailed(ExportState state) {
        ExportInfo export = new ExportInfo(state, "SBIS", 3, T.minusMinutes(20), new ExportError("TIMEOUT", "no response from pharmacy system in 30 s"));
        List<Finding> f = new ExportFailedDetector().evaluate(order(OrderStatus.NEW, List.of(), export), store(StoreStatus.ACTIVE), null, NOW);
        assertEquals(state == ExportState.FAILED ? 1 : 0, f.size());
        if (state == ExportState.FAILED) {
            assertEquals("SBIS", f.get(0).details().get("system"));
            assertEquals(3, f.get(0).details().get("attempts"));
            assertEquals("TIMEOUT: no response from pharmacy system in 30 s", f.get(0).details().get("error"));
            assertEquals(T.minusMinutes(20), f.get(0).startedAt(), "began at the last failed attempt");
        }
        assertTrue(new ExportFailedDetector().evaluate(order(OrderStatus.CANCELLED, List.of(), export), null, null, NOW).isEmpty());
    }

    @Test
    void oneItemLinkAlertPerUnlinkedLine() {
        List<Finding> f = new ItemLinkErrorDetector().evaluate(order(OrderStatus.EXPORTED, List.of(LINKED, NO_SKU, MISMATCH), null),
                store(StoreStatus.ACTIVE), null, NOW);
        assertEquals(List.of("ITEM_LINK_ERROR:100:2", "ITEM_LINK_ERROR:100:3"), f.stream().map(Finding::fingerprint).toList());
        assertEquals("NO_STORE_SKU", f.get(0).details().get("reason"));
        assertEquals("PRICE_MISMATCH", f.get(1).details().get("reason"));
        assertTrue(new ItemLinkErrorDetector().evaluate(order(OrderStatus.COMPLETED, List.of(NO_SKU), null), null, null, NOW).isEmpty());
    }

    @Test
    void compositionChangeIsOneAlertWhicheverWayItArrives() {
        CompositionChangeDetector d = new CompositionChangeDetector();
        Order before = order(OrderStatus.ASSEMBLING, List.of(LINKED, NO_SKU), null);
        OrderItem moreNurofen = new OrderItem("1", "p-1", "Нурофен", 2, new BigDecimal("412.0"), "S-1", null);
        Order after = order(OrderStatus.ASSEMBLING, List.of(moreNurofen), null);
        assertTrue(d.evaluate(before, null, null, NOW).isEmpty(), "nothing to compare with the first time");
        assertTrue(d.evaluate(before, null, before, NOW).isEmpty(), "the same composition is no change");
        assertFalse(d.resolvesWhenAbsent());
        Finding polled = d.evaluate(after, store(StoreStatus.ACTIVE), before, NOW).get(0);
        Finding fromEvent = CompositionChangeDetector.finding("100", "st-1", store(StoreStatus.ACTIVE), "Москва",
                List.of(NO_SKU, LINKED), List.of(moreNurofen), "pharmacy", T);
        assertEquals(polled.fingerprint(), fromEvent.fingerprint(), "poll and event name the same change the same way");
        @SuppressWarnings("unchecked")
        List<String> changes = (List<String>) polled.details().get("changes");
        assertEquals(List.of("Нурофен: количество 1 → 2", "удалена позиция: Аквалор ×2"), changes);
        assertTrue(CompositionChangeDetector.sameComposition(List.of(LINKED), List.of(new OrderItem("1", "p-1", "Нурофен", 1,
                new BigDecimal("412"), "S-1", null))), "412.00 and 412 are the same price");
    }
}
