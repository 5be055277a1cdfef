package io.orderwatch.app;

import io.orderwatch.testing.AdminStub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A flood of requests cannot exhaust orderwatch's memory: orderwatch runs in a child JVM with its heap
 * capped at 256 MB (and told to exit on an OutOfMemoryError, so that running out is seen, not hidden in
 * a half-dead process). Many clients at once post bodies of 5 MiB to the intake (each parsed whole,
 * then refused for its last event) while others read the API; without the bound on what is in flight
 * this ran out of heap. orderwatch stays up, answers each
 * request with its verdict or 503 (too many at once, with Retry-After), and answers normally afterwards.
 */
class RequestFloodTest {

    @TempDir
    Path data;

    /** A body of 5 MiB: tens of thousands of good events and a bad one at the end. */
    private static String bigBody() {
        StringBuilder b = new StringBuilder(10 << 20).append('[');
        String event = "{\"eventId\":\"e-%d\",\"type\":\"CITY_NOT_FOUND\",\"occurredAt\":\"2026-11-22T09:20:05+03:00\","
                + "\"data\":{\"query\":\"Verkhnyaya Pyshma\",\"platform\":\"ios\",\"contact\":{\"email\":\"a@example.org\",\"phone\":null}}},";
        for (int i = 0; b.length() < (5 << 20); i++) {
            b.append(String.format(event, i));
        }
        return b.append("{\"eventId\":\"bad\",\"type\":\"LOST\"}]").toString();
    }

    @Test
    void manyClientsPostingNearlyTheLimitAtOnceLeaveOrderwatchUpAndAnswering() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
                Child.class.getName(), data.toString()).redirectErrorStream(true).start();
        List<String> output = new CopyOnWriteArrayList<>();
        AtomicInteger port = new AtomicInteger();
        AtomicLong peakHeap = new AtomicLong();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith("READY ")) {
                        port.set(Integer.parseInt(line.substring(6).trim()));
                    } else if (line.startsWith("HEAP ")) {
                        peakHeap.accumulateAndGet(Long.parseLong(line.substring(5).trim()), Math::max);
                    } else if (line.contains("OutOfMemory") || line.contains("ERROR") || line.contains("WARN")) {
                        output.add(line);
                    }
                }
            } catch (java.io.IOException e) {
                // the child went away
            }
        });
        reader.setDaemon(true);
        reader.start();
        ExecutorService clients = Executors.newFixedThreadPool(64);
        try {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> port.get() > 0 || !child.isAlive());
            assertTrue(port.get() > 0, "orderwatch started in the child: " + output);
            String base = "http://127.0.0.1:" + port.get();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            byte[] big = bigBody().getBytes(StandardCharsets.UTF_8);
            Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
            List<String> failures = new CopyOnWriteArrayList<>();
            List<Future<?>> running = new ArrayList<>();
            long started = System.nanoTime();
            Map<Integer, AtomicLong> slowest = new ConcurrentHashMap<>();
            for (int t = 0; t < 32; t++) {
                running.add(clients.submit(() -> {
                    for (int i = 0; i < 1; i++) {
                        try {
                            long t0 = System.nanoTime();
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/events"))
                                    .header("Authorization", "Bearer api-secret").header("Content-Type", "application/json")
                                    .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofByteArray(big)).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            statuses.computeIfAbsent(r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                            slowest.computeIfAbsent(r.statusCode(), k -> new AtomicLong()).accumulateAndGet(
                                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), Math::max);
                        } catch (Exception e) {
                            failures.add(e.toString());
                        }
                    }
                    return null;
                }));
            }
            for (int t = 0; t < 8; t++) {
                running.add(clients.submit(() -> {
                    for (int i = 0; i < 10; i++) {
                        try {
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/alerts?limit=5000"))
                                    .header("Authorization", "Bearer api-secret").timeout(Duration.ofSeconds(60)).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            statuses.computeIfAbsent(r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                        } catch (Exception e) {
                            failures.add(e.toString());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get(120, TimeUnit.SECONDS);
            }
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(child.isAlive(), "orderwatch is still up: " + output);
            HttpResponse<String> after = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/alerts"))
                    .header("Authorization", "Bearer api-secret").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, after.statusCode(), "and answers normally afterwards");
            System.out.println("flood: " + statuses + " in " + took + " ms (slowest by status " + slowest + " ms), heap at most "
                    + (peakHeap.get() >> 20) + " MB used, failures " + failures.size());
            assertTrue(failures.isEmpty(), "every request answered: " + failures.stream().limit(5).toList());
            for (Integer s : statuses.keySet()) {
                assertTrue(s == 400 || s == 200 || s == 503, "answered with a verdict or 503, not " + s + ": " + statuses);
            }
            assertTrue(output.stream().noneMatch(l -> l.contains("OutOfMemory")), String.valueOf(output));
        } finally {
            clients.shutdownNow();
            child.destroy();
            if (!child.waitFor(30, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
    }

    /** orderwatch against an admin stub, in its own JVM; says its port, then its heap in use every 100 ms. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            AdminStub admin = new AdminStub();
            Properties p = TestApp.configuredOverrides(Path.of(args[0]), admin.baseUrl());
            Orderwatch ow = Orderwatch.create(Path.of("."), Map.of(), p);
            ow.start();
            System.out.println("READY " + ow.settings().httpPort());
            System.out.flush();
            while (true) {
                System.out.println("HEAP " + ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
                System.out.flush();
                Thread.sleep(100); // a reporting loop in the child, not a wait for an outcome
            }
        }
    }
}
