package io.orderwatch.detect;

import io.orderwatch.alert.Finding;
import io.orderwatch.model.DeliveryType;
import io.orderwatch.model.OpeningHours;
import io.orderwatch.model.Order;
import io.orderwatch.model.OrderStatus;
import io.orderwatch.model.Store;
import io.orderwatch.model.StoreStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StuckOrderDetectorTest {

    /** The shipped defaults, read from config/application.properties so the test and the docs agree. */
    static StuckLimits shippedLimits() throws Exception {
        java.util.Properties p = new java.util.Properties();
        try (var in = java.nio.file.Files.newBufferedReader(java.nio.file.Path.of("config/application.properties"))) {
            p.load(in);
        }
        Map<String, String> raw = new LinkedHashMap<>();
        for (String k : p.stringPropertyNames()) {
            if (k.startsWith("orderwatch.stuck.")) {
                raw.put(k.substring("orderwatch.stuck.".length()), p.getProperty(k));
            }
        }
        return StuckLimits.fromSettings(raw);
    }

    private static final ZoneId MSK = ZoneId.of("Europe/Moscow");
    private static final Store ALWAYS_OPEN = store("st-1", OpeningHours.alwaysOpen(), "Europe/Moscow");

    static Stream<Arguments> everyStatusAndDeliveryType() throws Exception {
        StuckLimits limits = shippedLimits();
        List<Arguments> out = new ArrayList<>();
        for (OrderStatus s : OrderStatus.values()) {
            for (DeliveryType t : DeliveryType.values()) {
                out.add(Arguments.of(s, t, limits.limit(s, t).orElse(null)));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} limit {2}")
    @MethodSource("everyStatusAndDeliveryType")
    void stuckExactlyAfterTheLimit(OrderStatus status, DeliveryType type, Duration limit) throws Exception {
        StuckOrderDetector detector = new StuckOrderDetector(shippedLimits());
        Instant changed = Instant.parse("2026-11-22T06:00:00Z");
        Order order = order(status, type, changed, null);
        if (status.isFinal() || limit == null) {
            assertTrue(detector.evaluate(order, ALWAYS_OPEN, null, changed.plus(Duration.ofDays(60))).isEmpty(),
                    status + " " + type + " is never stuck");
            return;
        }
        assertTrue(detector.evaluate(order, ALWAYS_OPEN, null, changed.plus(limit)).isEmpty(), "at the limit: not yet");
        List<Finding> f = detector.evaluate(order, ALWAYS_OPEN, null, changed.plus(limit).plusSeconds(1));
        assertEquals(1, f.size(), "one second past the limit: stuck");
        assertEquals("STUCK_ORDER:100", f.get(0).fingerprint());
        assertEquals(StuckOrderDetector.REASON_STATUS_TIMEOUT, f.get(0).details().get("reason"));
        assertEquals(limit.toMinutes(), f.get(0).details().get("limitMinutes"));
        assertEquals(changed, f.get(0).startedAt().toInstant(), "the problem began when the order entered its status");
    }

    @Test
    void pharmacyHoursOnlyForStatusesWaitingOnThePharmacy() throws Exception {
        StuckOrderDetector detector = new StuckOrderDetector(shippedLimits());
        ZoneId vvo = ZoneId.of("Asia/Vladivostok");
        Store store = store("st-2", OpeningHours.weekly(Map.of("mon", "08:00-22:00", "tue", "08:00-22:00")), "Asia/Vladivostok");
        Instant mon2200 = ZonedDateTime.of(LocalDateTime.parse("2026-11-23T22:00"), vvo).toInstant();
        Instant tue0200 = ZonedDateTime.of(LocalDateTime.parse("2026-11-24T02:00"), vvo).toInstant();
        Instant tue0901 = ZonedDateTime.of(LocalDateTime.parse("2026-11-24T09:01"), vvo).toInstant();
        Order exported = order(OrderStatus.EXPORTED, DeliveryType.PICKUP, mon2200, null);
        assertTrue(detector.evaluate(exported, store, null, tue0200).isEmpty(), "the pharmacy is closed at night");
        List<Finding> late = detector.evaluate(exported, store, null, tue0901);
        assertEquals(1, late.size(), "61 open minutes past a 60-minute limit");
        assertEquals(true, late.get(0).details().get("pharmacyHoursOnly"));
        // NEW waits on us, not the pharmacy: wall clock
        Order fresh = order(OrderStatus.NEW, DeliveryType.PICKUP, mon2200, null);
        assertEquals(1, detector.evaluate(fresh, store, null, tue0200).size());
        // an unknown pharmacy counts wall-clock time rather than never alerting
        assertEquals(1, detector.evaluate(exported, null, null, tue0200).size());
    }

    @Test
    void plannedDeliveryPassedPlusGrace() throws Exception {
        StuckOrderDetector detector = new StuckOrderDetector(shippedLimits());
        OffsetDateTime planned = OffsetDateTime.parse("2026-11-22T12:00:00+03:00");
        Instant changed = planned.toInstant().minus(Duration.ofMinutes(20)); // well inside the CONFIRMED limit
        Order courier = order(OrderStatus.CONFIRMED, DeliveryType.COURIER, changed, planned);
        Instant graceEnd = planned.toInstant().plus(Duration.ofMinutes(30));
        assertTrue(detector.evaluate(courier, ALWAYS_OPEN, null, graceEnd).isEmpty());
        List<Finding> late = detector.evaluate(courier, ALWAYS_OPEN, null, graceEnd.plusSeconds(1));
        assertEquals(StuckOrderDetector.REASON_PLANNED_DELIVERY_PASSED, late.get(0).details().get("reason"));
        assertEquals(planned.toInstant(), late.get(0).startedAt().toInstant());
        Order pickup = order(OrderStatus.CONFIRMED, DeliveryType.PICKUP, graceEnd.minusSeconds(60), planned);
        assertTrue(detector.evaluate(pickup, ALWAYS_OPEN, null, graceEnd.plusSeconds(1)).isEmpty(), "pickup has no promised time");
    }

    @Test
    void detailsCarryWhatTheDigestShowsAndStayStable() throws Exception {
        StuckOrderDetector detector = new StuckOrderDetector(shippedLimits());
        Instant changed = Instant.parse("2026-11-22T06:00:00Z");
        Order order = order(OrderStatus.NEW, DeliveryType.PICKUP, changed, null);
        Map<String, Object> a = detector.evaluate(order, ALWAYS_OPEN, null, changed.plus(Duration.ofHours(2))).get(0).details();
        Map<String, Object> b = detector.evaluate(order, ALWAYS_OPEN, null, changed.plus(Duration.ofHours(3))).get(0).details();
        assertEquals(a, b, "an hour later the facts are the same: nothing to write");
        assertEquals("Невис, Гатчина", a.get("storeName"));
        assertEquals("+79806561461", a.get("customerPhone"));
    }

    @Test
    void badSettingsNameTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StuckLimits.fromSettings(Map.of("limit.EXPORTED", "soon")));
        assertTrue(e.getMessage().startsWith("orderwatch.stuck.limit.EXPORTED"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> StuckLimits.fromSettings(Map.of("limit.LOST", "1h")));
        assertTrue(e.getMessage().contains("LOST"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> StuckLimits.fromSettings(Map.of("limit.COMPLETED", "1h")));
        assertTrue(e.getMessage().contains("final"), e.getMessage());
    }

    static Order order(OrderStatus status, DeliveryType type, Instant statusChangedAt, OffsetDateTime planned) {
        OffsetDateTime changed = statusChangedAt.atZone(MSK).toOffsetDateTime();
        return new Order("100", "ЛО-2611-004417", "app", changed.minusHours(1), changed, status, changed, type, planned,
                "st-1", "Ленинградская область", "Гатчина",
                new io.orderwatch.model.Customer("Анна", "+79806561461", "anna@example.org"),
                new java.math.BigDecimal("1874.50"), List.of(), null, null);
    }

    static Store store(String id, OpeningHours hours, String zone) {
        return new Store(id, "Невис, Гатчина", "ch-nevis", "Невис", "Гатчина, ул. Соборная, 7", "Гатчина",
                "Ленинградская область", zone, hours, "+78137112233", 59.5, 30.1, StoreStatus.ACTIVE, null, null);
    }
}
