package io.orderwatch.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads an {@link Order} and its parts straight off the parser: every poll binds each order of every
 * page, and Jackson's generic binding of records (a property buffer, a map look-up per field, a
 * reflective constructor call per object) costs as much as the parsing itself.
 *
 * <p>It accepts what the admin API contract allows and what Jackson's defaults accepted before: unknown
 * fields are skipped, a number or boolean where text is expected is read as its text, a number in a
 * string is a number, the last of two equal field names wins. It is stricter where the defaults were
 * wrong for this data: a status must be a name, not an enum index; a quantity must be a whole number
 * and present; {@code null} inside {@code items} is an error. Errors name the field by its path
 * ({@code items[1].quantity}) through the usual Jackson exceptions, so the reason a record was rejected
 * reads the same as for every other type.
 */
final class OrderJson {

    private OrderJson() {}

    static final class OrderDeserializer extends StdDeserializer<Order> {

        OrderDeserializer() {
            super(Order.class);
        }

        @Override
        public Order deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            JsonToken t = startObject(p, ctx, Order.class);
            String id = null;
            String invoiceNumber = null;
            String source = null;
            OffsetDateTime createdAt = null;
            OffsetDateTime updatedAt = null;
            OrderStatus status = null;
            OffsetDateTime statusChangedAt = null;
            DeliveryType deliveryType = null;
            OffsetDateTime plannedDeliveryAt = null;
            String storeId = null;
            String region = null;
            String city = null;
            Customer customer = null;
            BigDecimal amount = null;
            List<OrderItem> items = null;
            ExportInfo export = null;
            Courier courier = null;
            for (; t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String name = p.currentName();
                p.nextToken();
                try {
                    switch (name) {
                        case "id" -> id = text(p, ctx);
                        case "invoiceNumber" -> invoiceNumber = text(p, ctx);
                        case "source" -> source = text(p, ctx);
                        case "createdAt" -> createdAt = time(p, ctx);
                        case "updatedAt" -> updatedAt = time(p, ctx);
                        case "status" -> status = enumValue(p, ctx, STATUSES);
                        case "statusChangedAt" -> statusChangedAt = time(p, ctx);
                        case "deliveryType" -> deliveryType = enumValue(p, ctx, DELIVERY_TYPES);
                        case "plannedDeliveryAt" -> plannedDeliveryAt = time(p, ctx);
                        case "storeId" -> storeId = text(p, ctx);
                        case "region" -> region = text(p, ctx);
                        case "city" -> city = text(p, ctx);
                        case "customer" -> customer = customer(p, ctx);
                        case "amount" -> amount = decimal(p, ctx);
                        case "items" -> items = items(p, ctx);
                        case "export" -> export = export(p, ctx);
                        case "courier" -> courier = courier(p, ctx);
                        default -> p.skipChildren();
                    }
                } catch (JsonMappingException | RuntimeException e) {
                    throw JsonMappingException.wrapWithPath(e, Order.class, name);
                }
            }
            return new Order(id, invoiceNumber, source, createdAt, updatedAt, status, statusChangedAt, deliveryType,
                    plannedDeliveryAt, storeId, region, city, customer, amount, items, export, courier);
        }
    }

    static final class OrderItemDeserializer extends StdDeserializer<OrderItem> {

        OrderItemDeserializer() {
            super(OrderItem.class);
        }

        @Override
        public OrderItem deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            return item(p, ctx);
        }
    }

    private static List<OrderItem> items(JsonParser p, DeserializationContext ctx) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.START_ARRAY) {
            return unexpected(p, ctx, List.class);
        }
        List<OrderItem> items = new ArrayList<>(4);
        while (p.nextToken() != JsonToken.END_ARRAY) {
            int index = items.size();
            try {
                if (p.currentToken() == JsonToken.VALUE_NULL) {
                    throw JsonMappingException.from(p, "null");
                }
                items.add(item(p, ctx));
            } catch (JsonMappingException | RuntimeException e) {
                throw JsonMappingException.wrapWithPath(e, items, index);
            }
        }
        return items;
    }

    private static OrderItem item(JsonParser p, DeserializationContext ctx) throws IOException {
        JsonToken t = startObject(p, ctx, OrderItem.class);
        String lineId = null;
        String productId = null;
        String name = null;
        Integer quantity = null;
        BigDecimal price = null;
        String storeSku = null;
        String linkError = null;
        for (; t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String field = p.currentName();
            p.nextToken();
            try {
                switch (field) {
                    case "lineId" -> lineId = text(p, ctx);
                    case "productId" -> productId = text(p, ctx);
                    case "name" -> name = text(p, ctx);
                    case "quantity" -> quantity = wholeNumber(p, ctx);
                    case "price" -> price = decimal(p, ctx);
                    case "storeSku" -> storeSku = text(p, ctx);
                    case "linkError" -> linkError = text(p, ctx);
                    default -> p.skipChildren();
                }
            } catch (JsonMappingException | RuntimeException e) {
                throw JsonMappingException.wrapWithPath(e, OrderItem.class, field);
            }
        }
        if (quantity == null) {
            throw JsonMappingException.wrapWithPath(JsonMappingException.from(p, "missing"), OrderItem.class, "quantity");
        }
        return new OrderItem(lineId, productId, name, quantity, price, storeSku, linkError);
    }

    private static Customer customer(JsonParser p, DeserializationContext ctx) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        JsonToken t = startObject(p, ctx, Customer.class);
        String name = null;
        String phone = null;
        String email = null;
        for (; t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String field = p.currentName();
            p.nextToken();
            try {
                switch (field) {
                    case "name" -> name = text(p, ctx);
                    case "phone" -> phone = text(p, ctx);
                    case "email" -> email = text(p, ctx);
                    default -> p.skipChildren();
                }
            } catch (JsonMappingException | RuntimeException e) {
                throw JsonMappingException.wrapWithPath(e, Customer.class, field);
            }
        }
        return new Customer(name, phone, email);
    }

    private static ExportInfo export(JsonParser p, DeserializationContext ctx) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        JsonToken t = startObject(p, ctx, ExportInfo.class);
        ExportState state = null;
        String system = null;
        Integer attempts = null;
        OffsetDateTime lastAttemptAt = null;
        ExportError error = null;
        for (; t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String field = p.currentName();
            p.nextToken();
            try {
                switch (field) {
                    case "state" -> state = enumValue(p, ctx, EXPORT_STATES);
                    case "system" -> system = text(p, ctx);
                    case "attempts" -> attempts = wholeNumber(p, ctx);
                    case "lastAttemptAt" -> lastAttemptAt = time(p, ctx);
                    case "error" -> error = exportError(p, ctx);
                    default -> p.skipChildren();
                }
            } catch (JsonMappingException | RuntimeException e) {
                throw JsonMappingException.wrapWithPath(e, ExportInfo.class, field);
            }
        }
        // an export that has not been tried yet may leave attempts out
        return new ExportInfo(state, system, attempts == null ? 0 : attempts, lastAttemptAt, error);
    }

    private static ExportError exportError(JsonParser p, DeserializationContext ctx) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        JsonToken t = startObject(p, ctx, ExportError.class);
        String code = null;
        String message = null;
        for (; t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String field = p.currentName();
            p.nextToken();
            try {
                switch (field) {
                    case "code" -> code = text(p, ctx);
                    case "message" -> message = text(p, ctx);
                    default -> p.skipChildren();
                }
            } catch (JsonMappingException | RuntimeException e) {
                throw JsonMappingException.wrapWithPath(e, ExportError.class, field);
            }
        }
        return new ExportError(code, message);
    }

    private static Courier courier(JsonParser p, DeserializationContext ctx) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        JsonToken t = startObject(p, ctx, Courier.class);
        String service = null;
        String trackingNumber = null;
        for (; t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String field = p.currentName();
            p.nextToken();
            try {
                switch (field) {
                    case "service" -> service = text(p, ctx);
                    case "trackingNumber" -> trackingNumber = text(p, ctx);
                    default -> p.skipChildren();
                }
            } catch (JsonMappingException | RuntimeException e) {
                throw JsonMappingException.wrapWithPath(e, Courier.class, field);
            }
        }
        return new Courier(service, trackingNumber);
    }

    /** Steps into an object; answers the first field name, or END_OBJECT for {@code {}}. */
    private static JsonToken startObject(JsonParser p, DeserializationContext ctx, Class<?> type) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            return p.nextToken();
        }
        if (t == JsonToken.FIELD_NAME || t == JsonToken.END_OBJECT) {
            return t; // Jackson may hand over an object whose first field it has already read
        }
        return unexpected(p, ctx, type);
    }

    /** Text; a number or boolean is read as its text; an object or array is the wrong type. */
    private static String text(JsonParser p, DeserializationContext ctx) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t.isScalarValue()) {
            return p.getText();
        }
        return unexpected(p, ctx, String.class);
    }

    private static OffsetDateTime time(JsonParser p, DeserializationContext ctx) throws IOException {
        return p.currentToken() == JsonToken.VALUE_NULL ? null : IsoTimes.read(p, ctx);
    }

    /** An enum's names as characters: a value is matched in the parser's buffer, without making a String. */
    private static final class EnumNames<E extends Enum<E>> {
        final Class<E> type;
        final E[] values;
        final char[][] names;

        EnumNames(Class<E> type) {
            this.type = type;
            this.values = type.getEnumConstants();
            this.names = new char[values.length][];
            for (int i = 0; i < values.length; i++) {
                names[i] = values[i].name().toCharArray();
            }
        }

        E find(char[] text, int offset, int length) {
            for (int i = 0; i < names.length; i++) {
                char[] name = names[i];
                if (name.length == length && Arrays.equals(name, 0, length, text, offset, offset + length)) {
                    return values[i];
                }
            }
            return null;
        }
    }

    private static final EnumNames<OrderStatus> STATUSES = new EnumNames<>(OrderStatus.class);
    private static final EnumNames<DeliveryType> DELIVERY_TYPES = new EnumNames<>(DeliveryType.class);
    private static final EnumNames<ExportState> EXPORT_STATES = new EnumNames<>(ExportState.class);

    private static <E extends Enum<E>> E enumValue(JsonParser p, DeserializationContext ctx, EnumNames<E> names) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_STRING) {
            return unexpected(p, ctx, names.type);
        }
        E value = names.find(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
        if (value == null) {
            throw ctx.weirdStringException(p.getText(), names.type, "not one of the values of " + names.type.getSimpleName());
        }
        return value;
    }

    private static BigDecimal decimal(JsonParser p, DeserializationContext ctx) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getDecimalValue();
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t == JsonToken.VALUE_STRING) {
            String s = p.getText().trim();
            if (s.isEmpty()) {
                return null;
            }
            try {
                return new BigDecimal(s);
            } catch (NumberFormatException e) {
                throw ctx.weirdStringException(s, BigDecimal.class, "not a number");
            }
        }
        return unexpected(p, ctx, BigDecimal.class);
    }

    /** A whole number (also {@code 2.0} or {@code "2"}); null for JSON null. */
    private static Integer wholeNumber(JsonParser p, DeserializationContext ctx) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
            return p.getIntValue();
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_STRING) {
            String s = p.getText().trim();
            try {
                return new BigDecimal(s).intValueExact();
            } catch (NumberFormatException | ArithmeticException e) {
                throw t == JsonToken.VALUE_STRING
                        ? ctx.weirdStringException(s, int.class, "not a whole number that fits an int")
                        : ctx.weirdNumberException(p.getNumberValue(), int.class, "not a whole number that fits an int");
            }
        }
        return unexpected(p, ctx, int.class);
    }

    @SuppressWarnings("unchecked")
    private static <T> T unexpected(JsonParser p, DeserializationContext ctx, Class<?> type) throws IOException {
        return (T) ctx.handleUnexpectedToken(type, p);
    }
}
