package io.orderwatch.bench;

import io.orderwatch.app.TestPorts;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Benchmarks "startup" and "memory" (only with {@code mvn -B -Pbench verify}; the bench profile packages
 * target/orderwatch.jar before the benchmarks run). Each launch is the README's demo command, {@code java
 * -jar target/orderwatch.jar} in a child JVM with the project as ORDERWATCH_HOME and no JVM options,
 * timed from the launch to the first 200 of /observe/health: {@code bench.startup.runs} (5) cold starts,
 * each on a new data dir, then as many warm ones on the last data dir; the median of each. Beside them,
 * in the same run and with the same classpath, a bare Camel Main start (no routes) and a JVM that only
 * prints hello. Then one demo runs {@code bench.memory.seconds} (300) and its resident memory (VmRSS) is
 * read, beside an idle JVM with the same classpath. Before all of them, one start on the new jar with no
 * class-data archive (it writes one at exit, as a start after a JDK change does; mvn package makes one for its jar: see app/ClassArchive);
 * the cold and warm starts map it.
 */
@Tag("bench")
class StartupBenchmark {

    private static final int RUNS = Integer.getInteger("bench.startup.runs", 5);
    private static final int MEMORY_SECONDS = Integer.getInteger("bench.memory.seconds", 300);
    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Path JAR = ROOT.resolve("target").resolve("orderwatch.jar");
    private static final Path DIR = ROOT.resolve("target").resolve("bench").resolve("startup");
    private static final Pattern STEPS = Pattern.compile("Start-up steps: (.*)");
    private static final Pattern STEP = Pattern.compile("([a-z-]+) ([0-9.]+) s");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

    @Test
    void startupAndMemory() throws Exception {
        assertTrue(Files.exists(JAR), "the bench profile packages " + JAR + " before the benchmarks");
        BenchReport.deleteTree(DIR);
        Files.createDirectories(DIR);
        double loadBefore = BenchReport.loadAverage();

        List<Long> hello = new ArrayList<>();
        List<Long> camel = new ArrayList<>();
        List<Long> cold = new ArrayList<>();
        List<Long> warm = new ArrayList<>();
        List<Map<String, Double>> coldSteps = new ArrayList<>();
        List<Map<String, Double>> warmSteps = new ArrayList<>();
        Path data = null;
        // a start with no class-data archive (mvn package made one; after a JDK change there is none that fits): this one writes it at exit
        Files.deleteIfExists(JAR.resolveSibling("orderwatch.jsa"));
        Files.deleteIfExists(JAR.resolveSibling("orderwatch.jsa.key"));
        Run first = launch(DIR.resolve("data-first"), "first");
        assertTrue(Files.exists(JAR.resolveSibling("orderwatch.jsa")), "the first start wrote the class-data archive at exit");
        System.out.printf(Locale.ROOT, "a start with no class-data archive (writes one): %d ms %s%n", first.millis, first.steps);
        // interleaved, so that a burst of load on the machine falls on every kind alike
        for (int i = 0; i < RUNS; i++) {
            hello.add(timeToExit("hello"));
            camel.add(timeToExit("camel"));
            data = DIR.resolve("data-" + i);
            Run c = launch(data, "cold-" + i);
            cold.add(c.millis);
            coldSteps.add(c.steps);
            Run w = launch(data, "warm-" + i);
            warm.add(w.millis);
            warmSteps.add(w.steps);
            System.out.printf(Locale.ROOT, "startup run %d: hello %d ms, bare Camel Main %d ms, cold %d ms %s, warm %d ms %s (load %.2f)%n",
                    i + 1, hello.get(i), camel.get(i), c.millis, c.steps, w.millis, w.steps, BenchReport.loadAverage());
        }
        long coldMs = median(cold);
        long warmMs = median(warm);
        long camelMs = median(camel);
        long helloMs = median(hello);
        Map<String, Object> startup = BenchReport.scenario("startup", coldMs, "ms to /observe/health 200 (cold, median)", camelMs,
                (double) camelMs / coldMs, "value <= 3000 ms");
        startup.put("baselineIs", "bare Camel Main start and stop, no routes, same classpath (median)");
        startup.put("coldMs", cold);
        startup.put("firstAfterBuildMs", first.millis);
        startup.put("firstAfterBuildIs", "a start with no matching class-data archive (after a JDK change; mvn package makes one for the jar it builds): the JVM writes one at exit for the next starts");
        startup.put("warmMedianMs", warmMs);
        startup.put("warmMs", warm);
        startup.put("jvmHelloMedianMs", helloMs);
        startup.put("coldStepsMedianSeconds", medianSteps(coldSteps));
        startup.put("warmStepsMedianSeconds", medianSteps(warmSteps));
        startup.put("loadAverageBefore", loadBefore);
        startup.put("loadAverageAfter", BenchReport.loadAverage());
        startup.put("met", coldMs <= 3000);
        String text = String.format(Locale.ROOT, "| scenario | cold (median of %d) | warm (median of %d) | a start with no archive (writes one) | baseline: bare Camel Main | JVM hello | target |%n"
                        + "|---|---|---|---|---|---|---|%n| startup (demo, java -jar, to health 200) | %,d ms | %,d ms | %,d ms | %,d ms | %,d ms | <= 3,000 ms%s |%n"
                        + "cold steps (s, median; broker, database and simulator run side by side): %s%nwarm steps: %s%n"
                        + "cold and warm starts map the class-data archive that the start without one wrote at exit; the baselines run without one%n",
                RUNS, RUNS, coldMs, warmMs, first.millis, camelMs, helloMs, coldMs <= 3000 ? "" : " (missed)", medianSteps(coldSteps), medianSteps(warmSteps));
        BenchReport.write(ROOT.resolve("target").resolve("bench"), startup, text);

        // memory: one demo left running, its resident set read from /proc/<pid>/status
        long idleRss = idleRssKb();
        Process demo = start(data, "memory");
        List<Long> timeline = new ArrayList<>();
        try {
            awaitHealthy(demo, Duration.ofSeconds(60));
            long t0 = System.nanoTime();
            long next = 0;
            while (System.nanoTime() - t0 < MEMORY_SECONDS * 1_000_000_000L) {
                assertTrue(demo.isAlive(), "the demo stopped during the memory run, see " + DIR.resolve("memory.log"));
                if ((System.nanoTime() - t0) / 1_000_000_000L >= next) {
                    timeline.add(rssKbWithChildren(demo.pid()) / 1024);
                    next += 30;
                }
                Thread.sleep(1000);
            }
            long rssMb = rssKbWithChildren(demo.pid()) / 1024;
            timeline.add(rssMb);
            long outbox = countFiles(data.resolve("outbox"));
            Map<String, Object> memory = BenchReport.scenario("memory", rssMb, "MB resident (VmRSS, the launcher and orderwatch's JVM together) after " + MEMORY_SECONDS + " s of demo",
                    idleRss / 1024, (double) (idleRss / 1024) / rssMb, "value <= 300 MB");
            memory.put("baselineIs", "VmRSS of an idle JVM with the same classpath");
            memory.put("rssEvery30sMB", timeline);
            memory.put("outboxFiles", outbox);
            memory.put("loadAverage", BenchReport.loadAverage());
            memory.put("met", rssMb <= 300);
            String mtext = String.format(Locale.ROOT, "| scenario | RSS after %d s of demo | baseline: idle JVM, same classpath | target |%n|---|---|---|---|%n"
                            + "| memory | %,d MB | %,d MB | <= 300 MB%s |%nRSS every 30 s (MB): %s; outbox files written: %d%n",
                    MEMORY_SECONDS, rssMb, idleRss / 1024, rssMb <= 300 ? "" : " (missed)", timeline, outbox);
            BenchReport.write(ROOT.resolve("target").resolve("bench"), memory, mtext);
        } finally {
            stop(demo);
        }
    }

    private record Run(long millis, Map<String, Double> steps) {}

    private Run launch(Path data, String name) throws Exception {
        long t0 = System.nanoTime();
        Process p = start(data, name);
        try {
            awaitHealthy(p, Duration.ofSeconds(60));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            return new Run(ms, steps(DIR.resolve(name + ".log")));
        } finally {
            stop(p);
        }
    }

    private int managementPort;

    private Process start(Path data, String name) throws IOException {
        managementPort = TestPorts.free();
        ProcessBuilder pb = new ProcessBuilder(java(), "-jar", JAR.toString()).directory(ROOT.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("ORDERWATCH_") || k.startsWith("SLACK_") || k.startsWith("SMTP_")
                || k.startsWith("HELPDESK_") || k.equals("JAVA_TOOL_OPTIONS") || k.equals("JDK_JAVA_OPTIONS") || k.equals("_JAVA_OPTIONS"));
        env.put("ORDERWATCH_HOME", ROOT.toString());
        env.put("ORDERWATCH_DATA_DIR", data.toString());
        env.put("ORDERWATCH_HTTP_PORT", String.valueOf(TestPorts.free()));
        env.put("ORDERWATCH_MANAGEMENT_PORT", String.valueOf(managementPort));
        env.put("ORDERWATCH_BROKER_PORT", String.valueOf(TestPorts.free()));
        pb.redirectErrorStream(true).redirectOutput(DIR.resolve(name + ".log").toFile());
        return pb.start();
    }

    private void awaitHealthy(Process p, Duration max) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/observe/health"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new AssertionError("orderwatch exited with " + p.exitValue() + " before it was healthy");
            }
            try {
                if (http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            // polling a child process's port: there is no outcome to await in this JVM
            Thread.sleep(20);
        }
        throw new AssertionError("orderwatch was not healthy within " + max);
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(90, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
    }

    /** A child JVM with orderwatch's classpath (and the test classes for the baseline's main class), to its exit. */
    private static long timeToExit(String mode) throws Exception {
        long t0 = System.nanoTime();
        Process p = baseline(mode).start();
        if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new AssertionError("baseline " + mode + " did not exit cleanly, see " + DIR.resolve(mode + ".log"));
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static ProcessBuilder baseline(String mode) {
        String cp = ROOT.resolve("target").resolve("test-classes") + java.io.File.pathSeparator + JAR;
        ProcessBuilder pb = new ProcessBuilder(java(), "-cp", cp, BareCamelMain.class.getName(), mode).directory(DIR.toFile());
        pb.environment().keySet().removeIf(k -> k.equals("JAVA_TOOL_OPTIONS") || k.equals("JDK_JAVA_OPTIONS") || k.equals("_JAVA_OPTIONS"));
        pb.redirectErrorStream(true).redirectOutput(DIR.resolve(mode + ".log").toFile());
        return pb;
    }

    private static long idleRssKb() throws Exception {
        Process p = baseline("idle").start();
        try {
            // the idle JVM has printed "idle" once its main runs; then give it a moment as the demo gets minutes
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (System.nanoTime() < deadline && !Files.readString(DIR.resolve("idle.log")).contains("idle")) {
                Thread.sleep(50);
            }
            Thread.sleep(2000);
            return rssKb(p.pid());
        } finally {
            p.destroy();
            p.waitFor();
        }
    }

    /** The resident set of a process and its descendants: the launcher's JVM and the one orderwatch runs in. */
    static long rssKbWithChildren(long pid) throws IOException {
        long kb = rssKb(pid);
        for (ProcessHandle child : ProcessHandle.of(pid).map(h -> h.descendants().toList()).orElse(List.of())) {
            kb += rssKb(child.pid());
        }
        return kb;
    }

    static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS for " + pid);
    }

    private static Map<String, Double> steps(Path log) throws IOException {
        Map<String, Double> steps = new LinkedHashMap<>();
        // the "up" line is written just before or just after health first answers 200
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            Matcher m = STEPS.matcher(Files.readString(log));
            if (m.find()) {
                Matcher s = STEP.matcher(m.group(1));
                while (s.find()) {
                    steps.put(s.group(1), Double.parseDouble(s.group(2)));
                }
                return steps;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return steps;
    }

    private static Map<String, Double> medianSteps(List<Map<String, Double>> runs) {
        Map<String, List<Double>> all = new LinkedHashMap<>();
        for (String k : List.of("jvm", "settings", "broker", "database", "simulator", "pipeline", "sinks", "routes", "camel")) {
            all.put(k, new ArrayList<>());
        }
        runs.forEach(r -> r.forEach((k, v) -> all.computeIfAbsent(k, x -> new ArrayList<>()).add(v)));
        Map<String, Double> out = new LinkedHashMap<>();
        all.forEach((k, v) -> {
            if (!v.isEmpty()) {
                Collections.sort(v);
                out.put(k, v.get(v.size() / 2));
            }
        });
        return out;
    }

    private static long median(List<Long> values) {
        List<Long> s = new ArrayList<>(values);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

    private static long countFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
