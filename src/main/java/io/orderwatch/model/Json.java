package io.orderwatch.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one JSON configuration of orderwatch: ISO-8601 times that keep their offset, unknown fields
 * ignored (the admin system adds fields without notice), unknown enum values rejected (an unknown
 * status is bad input, not a silent null). Orders are read by hand ({@link OrderJson}): they are the
 * hot path of every poll.
 */
public final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            // registered after JavaTimeModule, so it wins for OffsetDateTime
            .addModule(new com.fasterxml.jackson.databind.module.SimpleModule("orderwatch-times")
                    .addDeserializer(java.time.OffsetDateTime.class, new IsoTimes.Deserializer())
                    .addDeserializer(Order.class, new OrderJson.OrderDeserializer())
                    .addDeserializer(OrderItem.class, new OrderJson.OrderItemDeserializer()))
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    private Json() {}

    /** Thread-safe; do not reconfigure. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
