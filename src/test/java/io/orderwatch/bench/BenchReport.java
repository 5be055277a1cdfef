package io.orderwatch.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import io.orderwatch.model.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * target/bench/report.json and report.txt, shared by every benchmark scenario of one run: each
 * scenario replaces its own entry (by name) and the text report lists every scenario's lines.
 */
final class BenchReport {

    private BenchReport() {}

    /** The fields every scenario of report.json has, in this order (then its own figures). */
    static final List<String> FIELDS = List.of("name", "value", "unit", "baseline", "ratio", "target");

    /**
     * A scenario's entry. {@code ratio} always reads as a speed: higher is better (ours per second over
     * the baseline's per second, or the baseline's cost over ours). {@code target} says what must hold,
     * on the ratio or, where it names a unit, on the value.
     */
    static Map<String, Object> scenario(String name, Object value, String unit, Object baseline, double ratio, Object target) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", name);
        s.put("value", value);
        s.put("unit", unit);
        s.put("baseline", baseline);
        s.put("ratio", Math.round(ratio * 1000) / 1000.0);
        s.put("target", target);
        return s;
    }

    /** Removes a scenario's directory of an earlier run. */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Resets the peak of every heap pool (before what is measured). */
    static void resetHeapPeak() {
        for (java.lang.management.MemoryPoolMXBean pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    /** The sum of the heap pools' peaks since {@link #resetHeapPeak()}, in MB: at least the peak of the heap used. */
    static long heapPeakMB() {
        long bytes = 0;
        for (java.lang.management.MemoryPoolMXBean pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP) {
                bytes += pool.getPeakUsage().getUsed();
            }
        }
        return bytes / (1024 * 1024);
    }

    /** The 1-minute load average now (other work on the machine makes the figures noisy), or -1. */
    static double loadAverage() {
        return Math.round(java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage() * 100) / 100.0;
    }

    static Map<String, Object> machine() {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cpu", cpuModel());
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("memoryMB", ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize() / (1024 * 1024));
        machine.put("maxHeapMB", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        machine.put("java", System.getProperty("java.version"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        machine.put("loadAverage", loadAverage());
        return machine;
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** @param text the scenario's lines in report.txt (a table of its own) */
    @SuppressWarnings("unchecked")
    static synchronized void write(Path dir, Map<String, Object> scenario, String text) throws IOException {
        if (!new ArrayList<>(scenario.keySet()).subList(0, Math.min(FIELDS.size(), scenario.size())).equals(FIELDS)) {
            throw new IllegalArgumentException("a scenario starts with " + FIELDS + ", got " + scenario.keySet());
        }
        Files.createDirectories(dir);
        Path json = dir.resolve("report.json");
        List<Map<String, Object>> scenarios = new ArrayList<>();
        if (Files.exists(json)) {
            Map<String, Object> old = Json.mapper().readValue(json.toFile(), new TypeReference<Map<String, Object>>() {});
            for (Object s : (List<Object>) old.getOrDefault("scenarios", List.of())) {
                if (s instanceof Map<?, ?> m && !scenario.get("name").equals(m.get("name"))) {
                    scenarios.add((Map<String, Object>) m);
                }
            }
        }
        Map<String, Object> withText = new LinkedHashMap<>(scenario);
        withText.put("text", text);
        scenarios.add(withText);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("machine", machine());
        report.put("scenarios", scenarios);
        Json.mapper().writerWithDefaultPrettyPrinter().writeValue(json.toFile(), report);
        StringBuilder all = new StringBuilder();
        for (Map<String, Object> s : scenarios) {
            all.append(s.get("text")).append(System.lineSeparator());
        }
        all.append("machine: ").append(machine()).append(System.lineSeparator());
        Files.writeString(dir.resolve("report.txt"), all.toString());
        System.out.print(text);
    }
}
