package io.orderwatch.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code java -jar}'s main class starts orderwatch in a JVM sized for it, passes SIGTERM on and exits with
 * its code, and a launcher killed with SIGKILL leaves no orderwatch running behind it.
 */
class LauncherTest {

    @TempDir
    Path data;

    @Test
    void theChildCarriesTheOptionsThePropertiesAndTheArguments() {
        List<String> cmd = Launcher.command(null, List.of("-Dorderwatch.x=1", "-Xmx1g"), 42, 1000, "a.jar", new String[]{"arg"});
        assertTrue(cmd.containsAll(Launcher.DEFAULT_OPTIONS), cmd.toString());
        assertTrue(cmd.contains("-Dorderwatch.x=1") && cmd.contains("-D" + Launcher.PARENT_PID + "=42"), cmd.toString());
        assertFalse(cmd.contains("-Xmx1g"), "only -D properties are passed on");
        assertEquals(List.of("-cp", "a.jar", OrderwatchMain.class.getName(), "arg"), cmd.subList(cmd.size() - 4, cmd.size()));
        List<String> own = Launcher.command(" -Xmx512m  -XX:+UseG1GC ", List.of(), 42, 1000, "a.jar", new String[0]);
        assertEquals(List.of("-Xmx512m", "-XX:+UseG1GC"), own.subList(1, 3));
        assertTrue(Launcher.isJvmOption("-Xmx1g") && Launcher.isJvmOption("-XX:+UseSerialGC") && !Launcher.isJvmOption("-Dx=y"));
    }

    @Test
    void sigtermIsPassedOnAndAKilledLauncherLeavesNothingRunning() throws Exception {
        int management = TestPorts.free();
        Process launcher = launch(management, "first");
        try {
            awaitHealthy(launcher, management);
            ProcessHandle child = onlyChild(launcher);
            // the JDK's ProcessHandle.Info leaves out a long command line; /proc has it whole
            List<String> args = List.of(Files.readString(Path.of("/proc", String.valueOf(child.pid()), "cmdline")).split("\0"));
            assertTrue(args.containsAll(Launcher.DEFAULT_OPTIONS), "orderwatch runs with the launcher's options: " + args);
            launcher.destroy(); // SIGTERM
            assertTrue(launcher.waitFor(90, TimeUnit.SECONDS), "the launcher waits for orderwatch's graceful stop");
            assertEquals(143, launcher.exitValue(), "and exits as orderwatch did on SIGTERM");
            assertFalse(child.isAlive(), "orderwatch stopped with it");
            String log = Files.readString(data.resolve("first.log"));
            assertTrue(log.contains("orderwatch is up"));
            // a poll that is running is waited for; an intake that only waits for messages is not
            assertFalse(java.util.regex.Pattern.compile("Inflights per route: [^\n]*notify-").matcher(log).find(),
                    "the intakes stop waiting when the stop begins: " + log);
        } finally {
            launcher.destroyForcibly();
        }

        Process second = launch(management, "second");
        try {
            awaitHealthy(second, management);
            ProcessHandle child = onlyChild(second);
            second.destroyForcibly(); // SIGKILL: the launcher cannot pass anything on
            assertTrue(second.waitFor(20, TimeUnit.SECONDS));
            await().atMost(Duration.ofSeconds(90)).until(() -> !child.isAlive());
            assertTrue(Files.readString(data.resolve("second.log")).contains("its launcher (pid " + second.pid() + ") is gone"));
        } finally {
            second.destroyForcibly();
        }
    }

    /**
     * The start {@code mvn package} makes to leave a class-data archive beside the jar: the demo whatever the
     * environment and the builder's -D options say (here a database that does not exist and taken ports),
     * stopped by itself once up (a class path of folders: it starts even though it can make no archive),
     * exit 0, its scratch data dir gone.
     */
    @Test
    void aPreparingStartStopsByItselfOnceUpAndLeavesNothingBehind() throws Exception {
        Path tmp = Files.createDirectories(data.resolve("tmp"));
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-D" + OrderwatchMain.PREPARE_CLASS_ARCHIVE + "=true", "-Djava.io.tmpdir=" + tmp,
                    "-cp", System.getProperty("java.class.path"), Launcher.class.getName());
            Map<String, String> env = pb.environment();
            env.keySet().removeIf(k -> k.startsWith("ORDERWATCH_") || k.equals("JAVA_TOOL_OPTIONS") || k.equals("JDK_JAVA_OPTIONS"));
            env.put("ORDERWATCH_HOME", Path.of(".").toAbsolutePath().normalize().toString());
            env.put("ORDERWATCH_DB_URL", "jdbc:postgresql://127.0.0.1:" + taken.getLocalPort() + "/nowhere");
            env.put("ORDERWATCH_HTTP_PORT", String.valueOf(taken.getLocalPort()));
            env.put("ORDERWATCH_MANAGEMENT_PORT", String.valueOf(taken.getLocalPort()));
            // the builder's own -D options do not reach it either (JDK_JAVA_OPTIONS comes in as the launcher's)
            env.put("JDK_JAVA_OPTIONS", "-Dorderwatch.db.url=jdbc:postgresql://127.0.0.1:" + taken.getLocalPort() + "/nowhere");
            Process p = pb.redirectErrorStream(true).redirectOutput(data.resolve("prepare.log").toFile()).start();
            try {
                assertTrue(p.waitFor(120, TimeUnit.SECONDS), "it stops by itself");
                String log = Files.readString(data.resolve("prepare.log"));
                assertEquals(0, p.exitValue(), log);
                assertTrue(log.contains("orderwatch is up"), log);
                try (java.util.stream.Stream<Path> left = Files.list(tmp)) {
                    assertEquals(List.of(), left.filter(f -> f.getFileName().toString().startsWith("orderwatch-class-archive")).toList(),
                            "its data dir is deleted");
                }
            } finally {
                p.destroyForcibly();
            }
        }
    }

    private Process launch(int management, String name) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Launcher.class.getName());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("ORDERWATCH_") || k.equals("JAVA_TOOL_OPTIONS") || k.equals("JDK_JAVA_OPTIONS"));
        env.put("ORDERWATCH_HOME", Path.of(".").toAbsolutePath().normalize().toString());
        env.put("ORDERWATCH_DATA_DIR", data.resolve("data").toString());
        env.put("ORDERWATCH_HTTP_PORT", String.valueOf(TestPorts.free()));
        env.put("ORDERWATCH_MANAGEMENT_PORT", String.valueOf(management));
        env.put("ORDERWATCH_BROKER_PORT", String.valueOf(TestPorts.free()));
        return pb.redirectErrorStream(true).redirectOutput(data.resolve(name + ".log").toFile()).start();
    }

    private void awaitHealthy(Process launcher, int management) {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management + "/observe/health"))
                .timeout(Duration.ofSeconds(2)).build();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertTrue(launcher.isAlive(), "the launcher exited early");
            try {
                return http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (java.io.IOException e) {
                return false;
            }
        });
    }

    private static ProcessHandle onlyChild(Process launcher) {
        Optional<ProcessHandle> child = launcher.toHandle().children().findFirst();
        assertTrue(child.isPresent(), "orderwatch runs in a child JVM");
        return child.get();
    }
}
