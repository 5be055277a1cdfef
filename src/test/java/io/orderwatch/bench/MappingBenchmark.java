package io.orderwatch.bench;

import io.orderwatch.demo.DemoWorld;
import io.orderwatch.demo.LegacyDialect;
import io.orderwatch.model.Json;
import io.orderwatch.model.Order;
import io.orderwatch.source.JsonMapping;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-record cost of the generic mapping (config/mappings/foreign-orders.jslt) as the route pays it:
 * a record's JSON text in, the event's JSON text out, beside Jackson alone reading and writing the same
 * text (the floor any mapping pays). {@code mvn -B -Pbench verify -Dtest=MappingBenchmark}.
 */
@Tag("bench")
class MappingBenchmark {

    @Test
    void foreignOrderToReferenceEvent() throws Exception {
        List<String> records = new ArrayList<>();
        DemoWorld world = new DemoWorld(42, Clock.systemUTC());
        for (Order o : world.orders()) {
            records.add(Json.mapper().writeValueAsString(LegacyDialect.order(o)));
        }
        JsonMapping mapping = new JsonMapping(Path.of("config", "mappings"), Json.mapper());
        int n = 200_000;
        long sink = 0;
        for (int round = 0; round < 4; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                sink += Json.mapper().writeValueAsString(Json.mapper().readTree(records.get(i % records.size()))).length();
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                sink += mapping.map("foreign-orders", records.get(i % records.size())).length();
            }
            long t2 = System.nanoTime();
            System.out.printf("round %d (%d records, %d distinct, ~%d bytes each): jackson read+write %.2f µs/record, jslt mapping %.2f µs/record%n",
                    round, n, records.size(), records.get(0).length(), (t1 - t0) / 1e3 / n, (t2 - t1) / 1e3 / n);
        }
        System.out.println(sink);
    }
}
