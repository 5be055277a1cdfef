package io.orderwatch.detect;

import io.orderwatch.source.EventProcessor;
import io.orderwatch.alert.AlertBook;
import io.orderwatch.alert.AlertKind;
import io.orderwatch.alert.MuteCheck;
import io.orderwatch.model.Json;
import io.orderwatch.model.Order;
import io.orderwatch.observe.Metrics;
import io.orderwatch.store.AlertStore;
import io.orderwatch.store.Database;
import io.orderwatch.store.OrderSnapshots;
import io.orderwatch.store.ProcessedEvents;
import io.orderwatch.store.Quarantine;
import io.orderwatch.store.StoreDirectory;
import io.orderwatch.store.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * EXPORT_FAILED and ITEM_LINK_FAILED events often arrive before the admin system shows the problem:
 * a poll of an older version of the order must not resolve what the event reported.
 */
class EventReportedAlertsTest {

    private final Database db = TestDatabases.h2();
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-22T07:00:00Z"), ZoneOffset.UTC);
    private final AlertBook book = new AlertBook(db, new AlertStore(db.dialect()), MuteCheck.NONE, clock);
    private final OrderEvaluator evaluator = new OrderEvaluator(db, new OrderSnapshots(db.dialect()), new StoreDirectory(db), book,
            List.of(new ExportFailedDetector(), new ItemLinkErrorDetector(), new CompositionChangeDetector()), Metrics.inMemory(), clock);
    private final EventProcessor events = new EventProcessor(db, new ProcessedEvents(), evaluator, new AlertStore(db.dialect()),
            new Quarantine(db), Metrics.inMemory(), clock);

    @AfterEach
    void close() {
        db.close();
    }

    private static Order order(String updatedAt, String status, String exportState) throws Exception {
        return Json.mapper().readValue("{\"id\":\"48231192\",\"createdAt\":\"2026-11-22T08:00:00+03:00\",\"updatedAt\":\"" + updatedAt
                + "\",\"status\":\"" + status + "\",\"statusChangedAt\":\"2026-11-22T08:00:00+03:00\",\"deliveryType\":\"PICKUP\","
                + "\"storeId\":\"st-1\",\"items\":[{\"lineId\":\"1\",\"quantity\":1,\"storeSku\":\"S\"}],"
                + "\"export\":{\"state\":\"" + exportState + "\",\"system\":\"SBIS\",\"attempts\":1}}", Order.class);
    }

    private static String event(String id, String type, String occurredAt, String data) {
        return "{\"eventId\":\"" + id + "\",\"type\":\"" + type + "\",\"occurredAt\":\"" + occurredAt + "\",\"orderId\":\"48231192\",\"data\":" + data + "}";
    }

    private Set<String> firing() {
        return book.firing(Set.of(AlertKind.EXPORT_FAILED, AlertKind.ITEM_LINK_ERROR));
    }

    @Test
    void aPollOfAnOlderVersionKeepsWhatTheEventReportedANewerOneResolvesIt() throws Exception {
        evaluator.accept(order("2026-11-22T09:00:00+03:00", "EXPORTED", "SENT"), "poll");
        events.process(event("e-1", "EXPORT_FAILED", "2026-11-22T09:20:05+03:00",
                "{\"storeId\":\"st-1\",\"system\":\"SBIS\",\"attempt\":3,\"error\":{\"code\":\"TIMEOUT\",\"message\":\"no answer\"}}"));
        events.process(event("e-2", "ITEM_LINK_FAILED", "2026-11-22T09:20:06+03:00",
                "{\"storeId\":\"st-1\",\"lineId\":\"1\",\"productId\":\"p-1\",\"reason\":\"PRICE_MISMATCH\"}"));
        assertEquals(Set.of("EXPORT_FAILED:48231192", "ITEM_LINK_ERROR:48231192:1"), firing());

        // the next poll re-reads the version of 09:00 (overlap window), and one of 09:15: both older than the reports
        evaluator.accept(order("2026-11-22T09:00:00+03:00", "EXPORTED", "SENT"), "poll");
        evaluator.accept(order("2026-11-22T09:15:00+03:00", "EXPORTED", "SENT"), "poll");
        assertEquals(Set.of("EXPORT_FAILED:48231192", "ITEM_LINK_ERROR:48231192:1"), firing());
        evaluator.reevaluateStore("st-1");
        assertEquals(Set.of("EXPORT_FAILED:48231192", "ITEM_LINK_ERROR:48231192:1"), firing(), "a pharmacy change re-reads the same old version");

        // a version written after the reports, without the problems, clears them
        evaluator.accept(order("2026-11-22T09:40:00+03:00", "CONFIRMED", "ACKNOWLEDGED"), "poll");
        assertEquals(Set.of(), firing());
    }

    @Test
    void aLateReportAboutAFinishedOrderRaisesNothing() throws Exception {
        evaluator.accept(order("2026-11-22T09:00:00+03:00", "COMPLETED", "ACKNOWLEDGED"), "poll");
        events.process(event("e-3", "EXPORT_FAILED", "2026-11-22T09:20:05+03:00", "{\"storeId\":\"st-1\",\"system\":\"SBIS\",\"attempt\":3}"));
        events.process(event("e-4", "ITEM_LINK_FAILED", "2026-11-22T09:20:06+03:00", "{\"storeId\":\"st-1\",\"lineId\":\"1\",\"reason\":\"NO_STORE_SKU\"}"));
        assertEquals(Set.of(), firing());
    }

    @Test
    void aCompositionChangeReportedBeforeTheOrderWasSeenGetsItsPharmacyFromTheFirstVersion() throws Exception {
        events.process(event("e-5", "ORDER_ITEMS_CHANGED", "2026-11-22T09:20:05+03:00",
                "{\"before\":[{\"lineId\":\"1\",\"quantity\":1}],\"after\":[{\"lineId\":\"1\",\"quantity\":2}],\"changedBy\":\"pharmacy\"}"));
        io.orderwatch.alert.Alert a = only(AlertKind.COMPOSITION_CHANGED);
        assertEquals(null, a.storeId());
        evaluator.accept(order("2026-11-22T09:25:00+03:00", "CONFIRMED", "ACKNOWLEDGED"), "poll");
        assertEquals("st-1", only(AlertKind.COMPOSITION_CHANGED).storeId());
    }

    private io.orderwatch.alert.Alert only(String kind) {
        List<io.orderwatch.alert.Alert> found = db.read(c -> book.firing(c, "48231192", Set.of(kind)));
        assertEquals(1, found.size(), kind);
        return found.get(0);
    }
}
