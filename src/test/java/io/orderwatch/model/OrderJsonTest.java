package io.orderwatch.model;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The hand-written binding of orders: what it accepts, what it refuses, and the path it names. */
class OrderJsonTest {

    private static final ObjectMapper M = Json.mapper();

    /** The contract's example order (admin-api.md), plus a field the admin system added without notice. */
    static final String EXAMPLE = """
            {"id":"48231192","invoiceNumber":"ЛО-2611-004417","source":"app",
             "createdAt":"2026-11-22T08:02:11+03:00","updatedAt":"2026-11-22T09:15:00+03:00",
             "status":"EXPORTED","statusChangedAt":"2026-11-22T08:03:40+03:00","deliveryType":"PICKUP",
             "plannedDeliveryAt":null,"storeId":"st-10442","region":"Ленинградская область","city":"Гатчина",
             "customer":{"name":"Анна","phone":"+79806561461","email":"anna@example.org","vip":true},"amount":1874.50,
             "items":[{"lineId":"1","productId":"p-99812","name":"Нурофен Экспресс капс. 200 мг №16","quantity":1,"price":412.00,"storeSku":"NVS-004412","linkError":null},
                      {"lineId":"2","productId":"p-12007","name":"Аквалор Беби спрей 150 мл","quantity":2,"price":731.25,"storeSku":null,"linkError":"NO_STORE_SKU"}],
             "export":{"state":"FAILED","system":"SBIS","attempts":3,"lastAttemptAt":"2026-11-22T08:33:40+03:00",
                       "error":{"code":"TIMEOUT","message":"no response from pharmacy system in 30 s"}},
             "courier":{"service":"Сберлогистика","trackingNumber":"SB-1"},
             "loyalty":{"points":[1,2,{"x":null}]}}""";

    private static Order read(String json) throws Exception {
        return M.readValue(json, Order.class);
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static JsonMappingException refused(String json) {
        return assertThrows(JsonMappingException.class, () -> read(json));
    }

    @Test
    void readsTheContractExampleAndSkipsUnknownFields() throws Exception {
        Order o = read(EXAMPLE);
        assertEquals("48231192", o.id());
        assertEquals(OrderStatus.EXPORTED, o.status());
        assertEquals(DeliveryType.PICKUP, o.deliveryType());
        assertEquals(OffsetDateTime.parse("2026-11-22T08:03:40+03:00"), o.statusChangedAt());
        assertNull(o.plannedDeliveryAt());
        assertEquals(new BigDecimal("1874.50"), o.amount());
        assertEquals(new Customer("Анна", "+79806561461", "anna@example.org"), o.customer());
        assertEquals(List.of(
                new OrderItem("1", "p-99812", "Нурофен Экспресс капс. 200 мг №16", 1, new BigDecimal("412.00"), "NVS-004412", null),
                new OrderItem("2", "p-12007", "Аквалор Беби спрей 150 мл", 2, new BigDecimal("731.25"), null, "NO_STORE_SKU")), o.items());
        assertEquals(new ExportInfo(ExportState.FAILED, "SBIS", 3, OffsetDateTime.parse("2026-11-22T08:33:40+03:00"),
                new ExportError("TIMEOUT", "no response from pharmacy system in 30 s")), o.export());
        assertEquals(new Courier("Сберлогистика", "SB-1"), o.courier());
    }

    @Test
    void whatIsWrittenReadsBackTheSameAlsoFromATree() throws Exception {
        Order o = read(EXAMPLE);
        String written = M.writeValueAsString(o);
        assertEquals(o, read(written));
        // events arrive as trees, whose numbers lose trailing zeros: 1874.50 comes back as 1874.5
        assertEquals(unscaled(o), unscaled(M.treeToValue(M.readTree(written), Order.class)));
    }

    private static Order unscaled(Order o) {
        return new Order(o.id(), o.invoiceNumber(), o.source(), o.createdAt(), o.updatedAt(), o.status(), o.statusChangedAt(),
                o.deliveryType(), o.plannedDeliveryAt(), o.storeId(), o.region(), o.city(), o.customer(), o.amount().stripTrailingZeros(),
                o.items().stream().map(i -> new OrderItem(i.lineId(), i.productId(), i.name(), i.quantity(), i.price().stripTrailingZeros(),
                        i.storeSku(), i.linkError())).toList(), o.export(), o.courier());
    }

    @Test
    void lenientWhereJacksonsDefaultsWere() throws Exception {
        Order o = read("{\"id\":48231192,\"storeId\":true,\"amount\":\"10.5\",\"items\":[{\"lineId\":7,\"quantity\":\"2\",\"price\":\"\"}],"
                + "\"export\":{\"state\":\"PENDING\"},\"id\":\"48231193\"}");
        assertEquals("48231193", o.id(), "the last of two equal names wins");
        assertEquals("true", o.storeId());
        assertEquals(new BigDecimal("10.5"), o.amount());
        assertEquals(new OrderItem("7", null, null, 2, null, null, null), o.items().get(0));
        assertEquals(0, o.export().attempts(), "an export not tried yet may leave attempts out");
        assertEquals(List.of(), read("{\"id\":\"1\",\"items\":null}").items());
        assertEquals(2, read("{\"id\":\"1\",\"items\":[{\"lineId\":\"1\",\"quantity\":2.0}]}").items().get(0).quantity());
    }

    @Test
    void refusesWithThePathOfTheField() {
        JsonMappingException e = refused("{\"id\":\"1\",\"status\":\"LOST\"}");
        assertInstanceOf(InvalidFormatException.class, e);
        assertEquals(OrderStatus.class, ((InvalidFormatException) e).getTargetType());
        assertEquals("LOST", ((InvalidFormatException) e).getValue());
        assertEquals("status", path(e));

        assertInstanceOf(MismatchedInputException.class, e = refused("{\"id\":\"1\",\"status\":1}"), "an enum index is not a status");
        assertEquals("status", path(e));
        assertEquals("statusChangedAt", path(refused("{\"id\":\"1\",\"statusChangedAt\":\"вчера\"}")));
        assertEquals("createdAt", path(refused("{\"id\":\"1\",\"createdAt\":12345}")));
        assertEquals("customer.name", path(refused("{\"id\":\"1\",\"customer\":{\"name\":[\"Анна\"]}}")));
        assertEquals("customer", path(refused("{\"id\":\"1\",\"customer\":\"Анна\"}")));
        assertEquals("export.error.code", path(refused("{\"id\":\"1\",\"export\":{\"error\":{\"code\":{}}}}")));
        assertEquals("amount", path(refused("{\"id\":\"1\",\"amount\":\"много\"}")));
        assertEquals("items", path(refused("{\"id\":\"1\",\"items\":{}}")));
        assertEquals("items[1]", path(refused("{\"id\":\"1\",\"items\":[{\"lineId\":\"1\",\"quantity\":1},null]}")));
        assertEquals("items[0].quantity", path(refused("{\"id\":\"1\",\"items\":[{\"lineId\":\"1\"}]}")));
        assertEquals("items[0].quantity", path(refused("{\"id\":\"1\",\"items\":[{\"lineId\":\"1\",\"quantity\":null}]}")));
        assertEquals("items[0].quantity", path(refused("{\"id\":\"1\",\"items\":[{\"lineId\":\"1\",\"quantity\":1.5}]}")));
        assertEquals("items[0].quantity", path(refused("{\"id\":\"1\",\"items\":[{\"lineId\":\"1\",\"quantity\":99999999999}]}")));
        assertEquals("items[0].quantity", path(refused("{\"id\":\"1\",\"items\":[{\"lineId\":\"1\",\"quantity\":true}]}")));
        assertEquals("", path(refused("[]")));
    }

    @Test
    void timesInEveryFormTheContractAllows() throws Exception {
        for (String t : List.of("2026-11-22T09:15:00+03:00", "2026-11-22T06:15:00Z", "2026-11-22T06:15:00.123456Z",
                "2026-11-22T09:15:00.5+03:00", " 2026-11-22T09:15:00+03:00 ", "2026-11-22T04:45:00-01:30", "2026-11-22T09:15+03:00")) {
            Order o = read("{\"id\":\"1\",\"updatedAt\":\"" + t + "\"}");
            assertEquals(OffsetDateTime.parse(t.trim()), o.updatedAt(), t);
        }
        assertEquals("updatedAt", path(refused("{\"id\":\"1\",\"updatedAt\":\"2026-02-30T09:15:00+03:00\"}")));
        assertEquals("updatedAt", path(refused("{\"id\":\"1\",\"updatedAt\":\"2026-11-22T09:15:00\"}")), "an offset is required");
    }
}
