package io.orderwatch.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Start-up on a small machine: HotSpot's C2 compiler threads spend about as much CPU in the first
 * seconds as orderwatch's own start (on 2 cores, 2.3 of 7 CPU-seconds before healthy), optimising
 * code that runs only while starting. A jar cannot pass JVM options ({@code -XX:TieredStopAtLevel}),
 * so on Linux orderwatch lowers the scheduling priority of those threads instead ({@code renice +10}
 * on their thread ids): they still compile whenever a core is free, but no longer take it from the
 * start-up. Nothing else is touched; where {@code /proc} or {@code renice} is missing it does nothing.
 * {@code -Dorderwatch.jit.renice=false} turns it off.
 */
final class JitPriority {

    private JitPriority() {}

    /** Starts the change on a daemon thread and returns at once. */
    static void lowerInBackground() {
        if ("false".equals(System.getProperty("orderwatch.jit.renice")) || !Files.isDirectory(Path.of("/proc/self/task"))) {
            return;
        }
        Thread t = new Thread(JitPriority::lower, "orderwatch-jit-priority");
        t.setDaemon(true);
        t.start();
    }

    static void lower() {
        List<String> command = new ArrayList<>(List.of("renice", "-n", "10", "-p"));
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            tasks.filter(JitPriority::isC2).forEach(task -> command.add(task.getFileName().toString()));
        } catch (IOException | RuntimeException e) {
            return;
        }
        if (command.size() == 4) {
            return;
        }
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor();
        } catch (IOException e) {
            // no renice on this system: start-up is only slower
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean isC2(Path task) {
        try {
            return Files.readString(task.resolve("comm")).startsWith("C2 CompilerThre");
        } catch (IOException e) {
            return false;
        }
    }
}
