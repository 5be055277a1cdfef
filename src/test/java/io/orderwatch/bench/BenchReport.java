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

    static Map<String, Object> machine() {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("maxHeapMB", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        machine.put("java", System.getProperty("java.version"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        return machine;
    }

    /** @param text the scenario's lines in report.txt (a table of its own) */
    @SuppressWarnings("unchecked")
    static synchronized void write(Path dir, Map<String, Object> scenario, String text) throws IOException {
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
