package io.orderwatch.app;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs orderwatch (in the JVM {@link Launcher} starts for {@code java -jar target/orderwatch.jar}, or directly) from the current folder, or from
 * {@code ORDERWATCH_HOME}, until SIGTERM. A start-up problem is one line on stderr and exit code 2.
 */
public final class OrderwatchMain {

    /** Longest a SIGTERM waits for the graceful stop (routes get camel.main.shutdownTimeout of it). */
    private static final long STOP_WAIT_SECONDS = 75;

    /**
     * {@code -Dorderwatch.class-archive.prepare=true}: the start {@code mvn package} makes (see the pom) so that
     * the first start a user makes after a build already maps a class-data archive ({@link ClassArchive};
     * writing one costs that start about 3.5 s). The demo, whatever the environment says, on free ports and
     * in a data dir of its own under the system's temporary folder (deleted after the stop), stopped as soon
     * as it is up, given up after {@link #PREPARE_DEADLINE}; the launcher installs the archive when it exits
     * cleanly. The launcher makes it unless the archive beside the jar already fits or orderwatch would run
     * inline, and leaves the builder's environment and -D options out (see {@link Launcher}).
     */
    static final String PREPARE_CLASS_ARCHIVE = "orderwatch.class-archive.prepare";

    private OrderwatchMain() {}

    /** Longest a preparing start may take: one that hangs gives up (exit 1, no archive) rather than hold the build. */
    static final java.time.Duration PREPARE_DEADLINE = java.time.Duration.ofSeconds(90);

    private static void giveUpAfter(java.time.Duration deadline) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(deadline.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("orderwatch: the class-archive start did not finish within " + deadline.toSeconds() + " s; giving up");
            Runtime.getRuntime().halt(1); // not exit: a stop that hangs would hang the exit too
        }, "orderwatch-prepare-deadline");
        t.setDaemon(true);
        t.start();
    }

    private static Properties prepareOverrides(Path data) throws java.io.IOException {
        Properties p = new Properties();
        p.setProperty("orderwatch.data-dir", data.toString());
        String[] ports = {"orderwatch.http.port", "orderwatch.management.port", "orderwatch.broker.port"};
        java.util.List<java.net.ServerSocket> held = new java.util.ArrayList<>();
        try {
            for (String port : ports) { // all held open at once, or the system may hand out the same port twice
                java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                held.add(s);
                p.setProperty(port, String.valueOf(s.getLocalPort()));
            }
        } finally {
            for (java.net.ServerSocket s : held) {
                s.close();
            }
        }
        return p;
    }

    private static void deleteTree(Path root) {
        try (java.util.stream.Stream<Path> paths = java.nio.file.Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (java.io.IOException | RuntimeException ignored) {
            // a scratch folder under the system's temporary folder
        }
    }

    /**
     * Netty (under the broker and the HTTP listeners) sizes its buffer pools for a busy server: two heap and
     * two direct arenas per core, each growing in 4 MB chunks. orderwatch moves a few hundred small messages
     * a second, so one arena of each in 1 MB chunks does (the demo's RSS after a minute: 285 MB with Netty's
     * sizes, 263 MB with these). And the JDK's HttpServer (the demo's admin simulator) answers with
     * TCP_NODELAY: with Nagle's algorithm on, each answer's body waited for the client's delayed ACK, about
     * 40 ms a request. Set before Netty and the HttpServer are loaded; a -D of the operator's own wins.
     */
    static void processDefaults() {
        for (String[] p : new String[][] {{"io.netty.allocator.numHeapArenas", "1"}, {"io.netty.allocator.numDirectArenas", "1"},
                {"io.netty.allocator.maxOrder", "7"}, {"sun.net.httpserver.nodelay", "true"}}) {
            if (System.getProperty(p[0]) == null) {
                System.setProperty(p[0], p[1]);
            }
        }
    }

    public static void main(String[] args) {
        StartupSteps.launchMs = StartupSteps.sinceLaunch();
        processDefaults();
        Launcher.stopWhenLauncherGoes();
        String homeEnv = System.getenv("ORDERWATCH_HOME");
        Path home = Path.of(homeEnv == null || homeEnv.isBlank() ? "." : homeEnv).toAbsolutePath().normalize();
        boolean prepare = Boolean.getBoolean(PREPARE_CLASS_ARCHIVE);
        Path scratch = null;
        Orderwatch orderwatch;
        try {
            if (prepare) {
                giveUpAfter(PREPARE_DEADLINE);
                scratch = java.nio.file.Files.createTempDirectory("orderwatch-class-archive");
                orderwatch = Orderwatch.create(home, Map.of(), prepareOverrides(scratch));
            } else {
                orderwatch = Orderwatch.create(home, System.getenv(), new Properties());
            }
        } catch (StartupProblem | java.io.IOException e) {
            System.err.println("orderwatch: cannot start: " + e.getMessage());
            if (scratch != null) {
                deleteTree(scratch);
            }
            System.exit(2);
            return;
        }
        if (prepare) {
            orderwatch.onStarted(() -> new Thread(orderwatch::requestStop, "orderwatch-prepared").start());
        }
        // One hook owns shutdown: it asks the main thread to stop, which stops the routes gracefully
        // (in-flight work finishes, queued messages stay queued) and then closes the database, the
        // broker and the simulator; the hook waits for that, so the JVM exits only afterwards.
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            orderwatch.requestStop();
            try {
                stopped.await(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "orderwatch-shutdown"));
        int code = 0;
        try {
            orderwatch.run();
        } catch (Exception e) {
            System.err.println("orderwatch: stopped on an error: " + io.orderwatch.observe.Problems.oneLine(e));
            code = 1;
        } finally {
            orderwatch.stop();
            if (scratch != null) {
                deleteTree(scratch); // after the stop: the broker and the database write there until then
            }
            stopped.countDown();
        }
        if (code != 0 || prepare) {
            System.exit(code); // prepared: the broker's and HTTP servers' threads would keep the JVM from exiting
        }
    }
}
