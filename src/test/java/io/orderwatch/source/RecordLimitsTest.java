package io.orderwatch.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderwatch.model.Json;
import io.orderwatch.model.Order;
import io.orderwatch.model.OrderItem;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What does not fit the database is refused at the door, naming the field, instead of failing every poll after. */
class RecordLimitsTest {

    private static Order order(String json) throws Exception {
        return Json.mapper().readValue(json, Order.class);
    }

    private static final String BASE = "{\"id\":\"ID\",\"createdAt\":\"2026-11-22T08:00:00+03:00\",\"updatedAt\":\"2026-11-22T08:00:00+03:00\","
            + "\"status\":\"NEW\",\"statusChangedAt\":\"2026-11-22T08:00:00+03:00\",\"deliveryType\":\"PICKUP\",\"storeId\":\"STORE\","
            + "\"region\":\"REGION\",\"items\":[{\"lineId\":\"LINE\",\"quantity\":1}]}";

    private static Optional<String> problem(String id, String store, String region, String line) throws Exception {
        return RecordValidator.problem(order(BASE.replace("ID", id).replace("STORE", store).replace("REGION", region).replace("LINE", line)));
    }

    @Test
    void idsAndRegionsMustFitTheirColumns() throws Exception {
        String id64 = "9".repeat(64);
        assertEquals(Optional.empty(), problem(id64, "s".repeat(64), "р".repeat(200), "l".repeat(64)));
        assertEquals(Optional.of("id: longer than 64 characters"), problem(id64 + "9", "st-1", "r", "1"));
        assertEquals(Optional.of("storeId: longer than 64 characters"), problem("1", "s".repeat(65), "r", "1"));
        assertEquals(Optional.of("region: longer than 200 characters"), problem("1", "st-1", "р".repeat(201), "1"));
        assertEquals(Optional.of("items[0].lineId: longer than 64 characters"), problem("1", "st-1", "r", "l".repeat(65)));
    }

    @Test
    void eventsToo() throws Exception {
        JsonNode e = Json.mapper().readTree("{\"eventId\":\"e-1\",\"type\":\"ITEM_LINK_FAILED\",\"occurredAt\":\"2026-11-22T09:20:05+03:00\","
                + "\"orderId\":\"1\",\"data\":{\"storeId\":\"st-1\",\"lineId\":\"" + "l".repeat(65) + "\",\"reason\":\"NO_STORE_SKU\"}}");
        BadEventException bad = assertThrows(BadEventException.class, () -> EventParser.parse(e, 0));
        assertEquals("data.lineId: longer than 64 characters", bad.reason());
        JsonNode city = Json.mapper().readTree("{\"eventId\":\"e-2\",\"type\":\"CITY_NOT_FOUND\",\"occurredAt\":\"2026-11-22T09:20:05+03:00\","
                + "\"data\":{\"query\":\"" + "Пышма".repeat(41) + "\"}}");
        assertEquals("data.query: longer than 200 characters", assertThrows(BadEventException.class, () -> EventParser.parse(city, 0)).reason());
    }
}
