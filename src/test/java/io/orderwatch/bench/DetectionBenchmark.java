package io.orderwatch.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.orderwatch.alert.Finding;
import io.orderwatch.detect.CompositionChangeDetector;
import io.orderwatch.detect.DeletedStoreOrderDetector;
import io.orderwatch.detect.ExportFailedDetector;
import io.orderwatch.detect.ItemLinkErrorDetector;
import io.orderwatch.detect.OrderDetector;
import io.orderwatch.detect.StuckLimits;
import io.orderwatch.detect.StuckOrderDetector;
import io.orderwatch.model.Json;
import io.orderwatch.model.OpeningHours;
import io.orderwatch.model.Order;
import io.orderwatch.model.Store;
import io.orderwatch.model.StoreStatus;
import io.orderwatch.source.AdminApiClient;
import io.orderwatch.source.AdminApiSettings;
import io.orderwatch.source.RecordSink;
import io.orderwatch.source.RejectedRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Benchmark (not a test: runs only with {@code mvn -B -Pbench verify}, heap capped at 256 MB).
 * Scenario "detection": orders per second through parsing and every detection over 1,000,000 generated
 * orders, beside Jackson's streaming parse of the same bytes in the same run. Writes
 * target/bench/report.json and target/bench/report.txt.
 */
@Tag("bench")
class DetectionBenchmark {

    private static final int ORDERS = Integer.getInteger("bench.orders", 1_000_000);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 7);
    /** Rounds run first and not counted: both sides compiled by the JIT before anything is measured. */
    private static final int WARMUP = Integer.getInteger("bench.warmup", 1);
    /** -Dbench.skipDetect=true measures parsing alone, to see where time goes. */
    private static final boolean SKIP_DETECT = Boolean.getBoolean("bench.skipDetect");

    @Test
    void detection() throws Exception {
        Path dir = Path.of("target", "bench");
        Files.createDirectories(dir);
        Path data = dir.resolve("orders-" + ORDERS + ".json");
        Map<String, Store> stores = stores();
        if (!Files.exists(data)) {
            generate(data, stores);
        }
        List<OrderDetector> detectors = detectors();
        Instant now = Instant.parse("2026-11-22T09:00:00Z");
        AdminApiClient parser = new AdminApiClient(new AdminApiSettings(URI.create("http://bench.invalid"), null,
                Duration.ofSeconds(1), Duration.ofSeconds(1), 1000, 1, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1)));

        BenchReport.resetHeapPeak();
        List<Double> baselines = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        long findings = 0;
        for (int round = -WARMUP; round < ROUNDS; round++) {
            long t0 = System.nanoTime();
            long tokens = jacksonStreaming(data);
            double jacksonRate = ORDERS / ((System.nanoTime() - t0) / 1e9);
            baselines.add(jacksonRate);

            long[] counts = new long[2];
            long t1 = System.nanoTime();
            try (InputStream in = new BufferedInputStream(Files.newInputStream(data), 1 << 16)) {
                parser.parseOrdersPage(in, new RecordSink<>() {
                    @Override
                    public void accept(Order order) {
                        counts[0]++;
                        Store store = stores.get(order.storeId());
                        for (OrderDetector d : SKIP_DETECT ? List.<OrderDetector>of() : detectors) {
                            List<Finding> f = d.evaluate(order, store, null, now);
                            counts[1] += f.size();
                        }
                    }

                    @Override
                    public void reject(RejectedRecord r) {
                        throw new AssertionError("generated data was rejected: " + r.reason());
                    }
                });
            }
            double rate = ORDERS / ((System.nanoTime() - t1) / 1e9);
            findings = counts[1];
            assertEquals(ORDERS, counts[0]);
            if (round >= 0) {
                values.add(rate);
                ratios.add(rate / jacksonRate);
            } else {
                baselines.remove(baselines.size() - 1);
            }
            System.out.printf(Locale.ROOT, "%s: jackson streaming %.0f orders/s (%d tokens), parse+detect %.0f orders/s, %d findings%n",
                    round < 0 ? "warm-up" : "round " + (round + 1), jacksonRate, tokens, rate, counts[1]);
        }
        // paired rounds: each ratio compares two runs made one after the other; the median resists noise
        report(dir, median(values), median(baselines), median(ratios), findings, Files.size(data), BenchReport.heapPeakMB());
    }

    /** Jackson's streaming parse of the same bytes: every token read, every value materialised as text. */
    static long jacksonStreaming(Path data) throws IOException {
        long tokens = 0;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(data), 1 << 16);
             JsonParser p = new JsonFactory().createParser(in)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t.isScalarValue()) {
                    p.getText();
                }
                tokens++;
            }
        }
        return tokens;
    }

    static List<OrderDetector> detectors() {
        Map<String, String> limits = new LinkedHashMap<>();
        Properties p = new Properties();
        try (var r = Files.newBufferedReader(Path.of("config/application.properties"))) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        p.stringPropertyNames().stream().filter(k -> k.startsWith("orderwatch.stuck."))
                .forEach(k -> limits.put(k.substring("orderwatch.stuck.".length()), p.getProperty(k)));
        return List.of(new StuckOrderDetector(StuckLimits.fromSettings(limits)), new DeletedStoreOrderDetector(),
                new ExportFailedDetector(), new ItemLinkErrorDetector(), new CompositionChangeDetector());
    }

    static Map<String, Store> stores() {
        Map<String, Store> out = new HashMap<>();
        String[] zones = {"Europe/Kaliningrad", "Europe/Moscow", "Asia/Yekaterinburg", "Asia/Novosibirsk", "Asia/Vladivostok"};
        Map<String, String> hours = new LinkedHashMap<>();
        for (String d : new String[] {"mon", "tue", "wed", "thu", "fri", "sat"}) {
            hours.put(d, "08:00-22:00");
        }
        for (int i = 0; i < 2000; i++) {
            String id = "st-" + i;
            out.put(id, new Store(id, "Аптека " + i, "ch-" + (i % 20), "Сеть " + (i % 20), "ул. Ленина, " + i, "Город", "Регион",
                    zones[i % zones.length], i % 7 == 0 ? OpeningHours.alwaysOpen() : OpeningHours.weekly(hours), "+7900" + i, 55.0, 37.0,
                    i % 97 == 0 ? StoreStatus.DELETED : StoreStatus.ACTIVE, null, null));
        }
        return out;
    }

    /** One page of ORDERS orders in the admin API's format, written as a stream. */
    static void generate(Path file, Map<String, Store> stores) throws IOException {
        Random random = new Random(7);
        String[] statuses = {"NEW", "EXPORTED", "CONFIRMED", "ASSEMBLING", "READY", "IN_DELIVERY", "COMPLETED", "CANCELLED"};
        String[] types = {"PICKUP", "PICKUP", "COURIER", "EXPRESS", "POST"};
        try (Writer w = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8), 1 << 16)) {
            w.write("{\"items\":[");
            for (int i = 0; i < ORDERS; i++) {
                if (i > 0) {
                    w.write(',');
                }
                int minutes = random.nextInt(3000);
                String status = statuses[random.nextInt(statuses.length)];
                String type = types[random.nextInt(types.length)];
                String changed = Instant.parse("2026-11-22T09:00:00Z").minusSeconds(minutes * 60L).toString();
                boolean failed = random.nextInt(50) == 0;
                boolean unlinked = random.nextInt(30) == 0;
                w.write("{\"id\":\"" + (48_000_000 + i) + "\",\"invoiceNumber\":\"ЛО-2611-" + i + "\",\"source\":\"app\","
                        + "\"createdAt\":\"" + changed + "\",\"updatedAt\":\"" + changed + "\",\"status\":\"" + status + "\","
                        + "\"statusChangedAt\":\"" + changed + "\",\"deliveryType\":\"" + type + "\","
                        + "\"plannedDeliveryAt\":" + (type.equals("PICKUP") ? "null" : "\"2026-11-22T12:00:00+03:00\"") + ","
                        + "\"storeId\":\"st-" + random.nextInt(stores.size()) + "\",\"region\":\"Ленинградская область\",\"city\":\"Гатчина\","
                        + "\"customer\":{\"name\":\"Анна\",\"phone\":\"+79806561461\",\"email\":\"anna@example.org\"},\"amount\":1874.50,"
                        + "\"items\":[{\"lineId\":\"1\",\"productId\":\"p-99812\",\"name\":\"Нурофен Экспресс капс. 200 мг №16\",\"quantity\":1,"
                        + "\"price\":412.00,\"storeSku\":\"NVS-004412\",\"linkError\":null},"
                        + "{\"lineId\":\"2\",\"productId\":\"p-12007\",\"name\":\"Аквалор Беби спрей 150 мл\",\"quantity\":2,\"price\":731.25,"
                        + "\"storeSku\":" + (unlinked ? "null" : "\"NVS-1\"") + ",\"linkError\":" + (unlinked ? "\"NO_STORE_SKU\"" : "null") + "}],"
                        + "\"export\":{\"state\":\"" + (failed ? "FAILED" : "ACKNOWLEDGED") + "\",\"system\":\"SBIS\",\"attempts\":" + (failed ? 3 : 1)
                        + ",\"lastAttemptAt\":\"" + changed + "\",\"error\":" + (failed ? "{\"code\":\"TIMEOUT\",\"message\":\"no response\"}" : "null") + "},"
                        + "\"courier\":null}");
            }
            w.write("],\"nextCursor\":null}");
        }
    }

    static double median(List<Double> xs) {
        List<Double> sorted = new ArrayList<>(xs);
        sorted.sort(Double::compare);
        return sorted.get(sorted.size() / 2);
    }

    static void report(Path dir, double value, double baseline, double ratio, long findings, long bytes, long peakHeapMB) throws IOException {
        Map<String, Object> scenario = BenchReport.scenario("detection", Math.round(value), "orders/s", Math.round(baseline), ratio, 0.5);
        long maxHeapMB = Runtime.getRuntime().maxMemory() / (1024 * 1024);
        scenario.put("peakHeapMB", peakHeapMB);
        scenario.put("maxHeapMB", maxHeapMB);
        scenario.put("heapTarget", "peakHeapMB <= 256");
        scenario.put("rounds", ROUNDS);
        scenario.put("warmupRounds", WARMUP);
        scenario.put("orders", ORDERS);
        scenario.put("bytes", bytes);
        scenario.put("findings", findings);
        String table = String.format(Locale.ROOT, "| scenario | value (median of %d rounds, after %d warm-up) | baseline: Jackson streaming (median) | ratio (median of paired rounds) | target | peak heap (max heap) |%n|---|---|---|---|---|---|%n"
                        + "| detection (%,d orders, %,d MB) | %,d orders/s | %,d orders/s | %.3f | >= 0.5, heap <= 256 MB | %d MB (%d MB) |%n",
                ROUNDS, WARMUP, ORDERS, bytes / (1024 * 1024), Math.round(value), Math.round(baseline), ratio, peakHeapMB, maxHeapMB);
        BenchReport.write(dir, scenario, table);
    }
}
