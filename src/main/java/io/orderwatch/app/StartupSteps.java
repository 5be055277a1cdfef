package io.orderwatch.app;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * How long each start-up step took, for the one "orderwatch is up" line: where the time to healthy
 * goes (JVM and class loading before main, broker, database, ..., Camel's own start).
 */
final class StartupSteps {

    /** Milliseconds from the JVM's launch to OrderwatchMain.main, set by it; -1 when embedded (tests). */
    static volatile long launchMs = -1;

    private final Map<String, Long> millis = new LinkedHashMap<>();

    void time(String step, Runnable work) {
        long t0 = System.nanoTime();
        try {
            work.run();
        } finally {
            record(step, (System.nanoTime() - t0) / 1_000_000);
        }
    }

    synchronized void record(String step, long ms) {
        millis.merge(step, ms, Long::sum);
    }

    synchronized Map<String, Long> millis() {
        return Map.copyOf(millis);
    }

    /** Milliseconds since the launcher's or else this JVM's launch (the JVM's own uptime; micrometer's binders load the same classes). */
    static long sinceLaunch() {
        String launchedAt = System.getProperty(Launcher.LAUNCHED_AT);
        if (launchedAt != null) {
            // started by the Launcher: timed from the launcher's own start, its JVM included
            return System.currentTimeMillis() - Long.parseLong(launchedAt);
        }
        return java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
    }

    /** e.g. {@code jvm 0.2 s, settings 0.2 s, broker 0.5 s, ...}, in the order they were recorded. */
    synchronized String describe() {
        StringJoiner j = new StringJoiner(", ");
        millis.forEach((k, v) -> j.add(k + " " + seconds(v) + " s"));
        return j.toString();
    }

    static String seconds(long ms) {
        return String.format(java.util.Locale.ROOT, "%.1f", ms / 1000.0);
    }
}
