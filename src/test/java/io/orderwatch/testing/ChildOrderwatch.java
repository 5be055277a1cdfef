package io.orderwatch.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * orderwatch in a child JVM, started by the real {@code io.orderwatch.app.OrderwatchMain} with the test
 * class path: its settings are the given properties (as {@code -D}, which win over
 * config/application.properties as any system property does) and environment, its home the project
 * folder, its output captured in a log file that failure messages quote. For tests that need a real
 * process: SIGKILL ({@link #killHard()}), SIGTERM ({@link #stop()}), two instances side by side.
 *
 * <pre>
 * Properties p = TestApp.configuredOverrides(data, admin.baseUrl());
 * try (ChildOrderwatch child = ChildOrderwatch.start(p, Map.of(), data.resolve("child-1.log"))) {
 *     child.awaitHealthy(Duration.ofSeconds(60));
 *     ...
 *     child.killHard();
 * }
 * </pre>
 */
public final class ChildOrderwatch implements AutoCloseable {

    private static final String MAIN = "io.orderwatch.app.OrderwatchMain";

    private final Process process;
    private final Path log;
    private final int managementPort;
    private final int httpPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ChildOrderwatch(Process process, Path log, int managementPort, int httpPort) {
        this.process = process;
        this.log = log;
        this.managementPort = managementPort;
        this.httpPort = httpPort;
    }

    /**
     * Starts orderwatch in a new JVM and returns at once (see {@link #awaitHealthy(Duration)}).
     *
     * @param properties settings, e.g. {@code TestApp.configuredOverrides(data, adminUrl)}: they must name
     *                   {@code orderwatch.management.port} and {@code orderwatch.http.port} (TestApp does)
     * @param env        extra environment variables of the child (ORDERWATCH_HOME defaults to this project)
     * @param log        where the child's stdout and stderr go (appended: a restart continues the same file)
     */
    public static ChildOrderwatch start(Properties properties, Map<String, String> env, Path log) {
        return start(properties, env, log, List.of());
    }

    /** As {@link #start(Properties, Map, Path)}, with extra JVM options such as {@code -Xmx256m}. */
    public static ChildOrderwatch start(Properties properties, Map<String, String> env, Path log, List<String> jvmOptions) {
        int management = port(properties, "orderwatch.management.port");
        int http = port(properties, "orderwatch.http.port");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx384m");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Dfile.encoding=UTF-8");
        cmd.addAll(jvmOptions);
        // sorted, so that two runs of a test start their children with the same command line
        new TreeMap<>(asMap(properties)).forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(MAIN);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("ORDERWATCH_HOME", Path.of(".").toAbsolutePath().normalize().toString());
        pb.environment().putAll(env);
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            return new ChildOrderwatch(pb.start(), log, management, http);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a child JVM with orderwatch", e);
        }
    }

    private static Map<String, String> asMap(Properties p) {
        Map<String, String> m = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
        return m;
    }

    private static int port(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null) {
            throw new IllegalArgumentException(key + " must be set for a child orderwatch (TestApp's overrides set it from TestPorts)");
        }
        return Integer.parseInt(v.trim());
    }

    /** Waits until /observe/health answers 200; fails with the end of the child's log if it does not, or if the child exits. */
    public ChildOrderwatch awaitHealthy(Duration atMost) {
        try {
            await().atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> {
                if (!process.isAlive()) {
                    throw new AssertionError("the child orderwatch exited with " + process.exitValue() + " before it was healthy\n" + logTail());
                }
                return healthStatus() == 200;
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the child orderwatch was not healthy within " + atMost + "\n" + logTail(), e);
        }
        return this;
    }

    /** The status /observe/health answers now, or -1 when nothing answers. */
    public int healthStatus() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/observe/health"))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** SIGKILL: no shutdown hook, nothing flushed or closed. Returns once the JVM is gone; asserts it died of the signal (137). */
    public void killHard() {
        process.destroyForcibly();
        int code = waitFor(Duration.ofSeconds(20));
        if (code != 137) {
            throw new AssertionError("a SIGKILLed child should exit with 137, got " + code + "\n" + logTail());
        }
    }

    /**
     * SIGTERM: the graceful stop of OrderwatchMain (routes finish, then database and broker close). Returns the
     * exit code once the JVM is gone: 143, the JVM's code for SIGTERM, after a clean stop; 2 for a start-up problem.
     */
    public int stop() {
        if (!process.isAlive()) {
            return process.exitValue();
        }
        process.destroy();
        return waitFor(Duration.ofSeconds(90));
    }

    private int waitFor(Duration atMost) {
        try {
            if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(20, TimeUnit.SECONDS);
                throw new AssertionError("the child orderwatch did not exit within " + atMost + "\n" + logTail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the child orderwatch", e);
        }
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public int managementPort() {
        return managementPort;
    }

    public int httpPort() {
        return httpPort;
    }

    /** The child's log file (stdout and stderr). */
    public Path log() {
        return log;
    }

    /** The whole log so far. */
    public String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** The last 60 lines of the log, for failure messages. */
    public String logTail() {
        List<String> lines = logText().lines().toList();
        return "--- last lines of " + log + " ---\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    /** Kills the child if it still runs (a test that failed half-way leaves no JVM behind). */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
