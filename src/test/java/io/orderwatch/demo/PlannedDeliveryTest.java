package io.orderwatch.demo;

import io.orderwatch.model.DeliveryType;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneId;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo's promised delivery times: never before the order, so that a fresh order is never stuck at once. */
class PlannedDeliveryTest {

    private static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");

    @Test
    void expressIsPromisedForTonightWhenThereIsTime() {
        OffsetDateTime created = OffsetDateTime.parse("2026-12-04T11:20:00+03:00");
        assertEquals(OffsetDateTime.parse("2026-12-04T23:00:00+03:00"), DemoWorld.plannedDelivery(DeliveryType.EXPRESS, created, MOSCOW));
    }

    @Test
    void anExpressOrderPlacedLateIsPromisedAtLeastThreeHoursLater() {
        for (String at : new String[] {"2026-12-04T20:30:00+03:00", "2026-12-04T23:10:00+03:00", "2026-12-04T23:59:59+03:00"}) {
            OffsetDateTime created = OffsetDateTime.parse(at);
            OffsetDateTime planned = DemoWorld.plannedDelivery(DeliveryType.EXPRESS, created, MOSCOW);
            assertTrue(!planned.isBefore(created.plusHours(3)), at + " -> " + planned);
            assertEquals(0, planned.getMinute(), "on the hour: " + planned);
        }
        assertEquals(OffsetDateTime.parse("2026-12-05T03:00:00+03:00"),
                DemoWorld.plannedDelivery(DeliveryType.EXPRESS, OffsetDateTime.parse("2026-12-04T23:10:00+03:00"), MOSCOW));
    }

    @Test
    void theStoresZoneDecidesTheEvening() {
        // 20:10 UTC is 23:10 in Moscow but 03:10 the next day in Novosibirsk: tonight there is a day later
        OffsetDateTime created = OffsetDateTime.parse("2026-12-04T20:10:00Z");
        assertEquals(OffsetDateTime.parse("2026-12-05T23:00:00+07:00"),
                DemoWorld.plannedDelivery(DeliveryType.EXPRESS, created, ZoneId.of("Asia/Novosibirsk")));
        assertEquals(OffsetDateTime.parse("2026-12-05T03:00:00+03:00"), DemoWorld.plannedDelivery(DeliveryType.EXPRESS, created, MOSCOW));
    }

    @Test
    void courierAndPostKeepTheirDays() {
        OffsetDateTime created = OffsetDateTime.parse("2026-12-04T23:30:00+03:00");
        assertEquals(OffsetDateTime.parse("2026-12-05T18:00:00+03:00"), DemoWorld.plannedDelivery(DeliveryType.COURIER, created, MOSCOW));
        assertEquals(OffsetDateTime.parse("2026-12-11T18:00:00+03:00"), DemoWorld.plannedDelivery(DeliveryType.POST, created, MOSCOW));
    }
}
