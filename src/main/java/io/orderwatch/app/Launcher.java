package io.orderwatch.app;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar target/orderwatch.jar}: starts orderwatch ({@link OrderwatchMain}) in a JVM sized for it.
 *
 * <p>A jar cannot carry JVM options, and the JVM's defaults suit a large server, not a small service on
 * two cores: a heap of a quarter of the machine's memory that G1 lets grow (RSS about 500 MB after five
 * minutes of demo), and C2 compiler threads that take as much CPU while starting as the start itself.
 * So this launcher runs orderwatch in a child JVM with {@link #DEFAULT_OPTIONS} (or
 * {@code ORDERWATCH_JVM_OPTIONS}), the same class path, working folder, environment, standard streams
 * and {@code -D} properties, and lives only as its parent:
 * <ul>
 *     <li>SIGTERM or Ctrl-C is passed on (SIGTERM to the child), and the launcher waits for the child's
 *     graceful stop, then exits with its exit code (2 for a start-up problem, 143 after SIGTERM);</li>
 *     <li>if the launcher itself is killed (SIGKILL), the child notices and stops gracefully on its own;</li>
 *     <li>started with JVM options of its own ({@code java -Xmx1g -jar ...}) or with
 *     {@code ORDERWATCH_JVM_OPTIONS=inline}, it runs orderwatch in its own JVM instead, with those options.</li>
 * </ul>
 */
public final class Launcher {

    /**
     * C1 only, one compiler thread (a service whose hot paths are I/O gains little from C2, and C2 took about
     * 2.3 of 7 CPU-seconds while starting); the serial collector with a heap that starts at 64 MB, grows to at
     * most 256 MB (the detection benchmark keeps its 100,000 orders within it; a busy demo lives in about
     * 70 MB) and gives back what is free after a collection; small thread stacks and code cache; and exit
     * on running out of heap rather than run on half-dead (the journal and the ledger keep what was taken).
     * The heap starts at 64 MB: from 24 MB the old generation grew step by step while starting, 7 to 9 full
     * collections of 20 to 70 ms each before health (none from 64 MB; a demo's live set is 45 to 60 MB anyway).
     * Measured on a demo: 290 MB resident for the launcher and orderwatch together after 2 minutes, against
     * about 500 MB for one JVM with the defaults.
     */
    static final List<String> DEFAULT_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-XX:+UseSerialGC",
            "-Xms64m", "-Xmn12m", "-Xmx256m", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=25", "-Xss512k",
            "-XX:ReservedCodeCacheSize=32m", "-XX:+ExitOnOutOfMemoryError");

    /** The child's system property naming the launcher's pid, so that it stops when the launcher is gone. */
    static final String PARENT_PID = "orderwatch.launcher.pid";
    /** The child's system property giving the launcher's start (epoch ms), so that start-up is timed from it. */
    static final String LAUNCHED_AT = "orderwatch.launcher.started-at";

    private static final long STOP_WAIT_SECONDS = 90;
    /** Exit codes after which a class-data archive written at exit is whole: a stop, Ctrl-C, SIGTERM. */
    private static final java.util.Set<Integer> CLEAN_EXITS = java.util.Set.of(0, 130, 143);

    /** What a preparing start ({@link OrderwatchMain#PREPARE_CLASS_ARCHIVE}) keeps of the environment. */
    static final java.util.Set<String> PREPARE_ENVIRONMENT = java.util.Set.of("PATH", "HOME", "USER", "LANG", "LC_ALL", "TMPDIR", "JAVA_HOME");

    private Launcher() {}

    public static void main(String[] args) throws Exception {
        List<String> ownOptions = ManagementFactory.getRuntimeMXBean().getInputArguments();
        String configured = System.getenv("ORDERWATCH_JVM_OPTIONS");
        boolean prepare = Boolean.getBoolean(OrderwatchMain.PREPARE_CLASS_ARCHIVE);
        boolean inline = "inline".equals(configured == null ? null : configured.trim()) || ownOptions.stream().anyMatch(Launcher::isJvmOption);
        if (inline && prepare) {
            // no child JVM, no archive: and it would run in the builder's environment
            System.out.println("orderwatch: no class-data archive to prepare (orderwatch runs inline: ORDERWATCH_JVM_OPTIONS or JVM options given)");
            return;
        }
        if (inline) {
            OrderwatchMain.main(args);
            return;
        }
        long pid = ProcessHandle.current().pid();
        String classPath = System.getProperty("java.class.path");
        Optional<ClassArchive> archive = usesOwnArchive(configured) ? Optional.empty()
                : ClassArchive.forClassPath(classPath, System.getProperty("java.home"), System.getProperty("java.vm.version"));
        boolean archived = archive.map(ClassArchive::matches).orElse(false);
        if (prepare && archived) {
            System.out.println("orderwatch: no class-data archive to prepare (the one beside the jar fits)");
            return;
        }
        if (prepare) {
            // of the builder's -D options (JDK_JAVA_OPTIONS included) only these: -Dorderwatch.db.url and the like would win
            ownOptions = ownOptions.stream().filter(o -> o.startsWith("-D" + OrderwatchMain.PREPARE_CLASS_ARCHIVE + "=")
                    || o.startsWith("-Djava.io.tmpdir=")).toList();
        }
        Path pending = archive.map(a -> a.pending(pid)).orElse(null);
        List<String> cds = archive.map(a -> a.options(archived, pending)).orElse(List.of());
        List<String> command = command(configured, cds, ownOptions, pid,
                // the JVM's own start, not the process's: that is in whole seconds on Linux (up to 1 s off), and
                // is the shell's when a "sh -c 'mvn ... && java -jar ...'" execs java last (the build counted in)
                ManagementFactory.getRuntimeMXBean().getStartTime(),
                classPath, args);
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        if (prepare) {
            // the demo as the README starts it, whatever the builder's shell exports: Camel lets an environment
            // variable named after a setting (ORDERWATCH_DB_URL for orderwatch.db.url) win over everything
            builder.environment().keySet().retainAll(PREPARE_ENVIRONMENT);
        }
        Process child = builder.start();
        // once the child is gone, from main or, when the launcher itself is stopping, from its shutdown hook
        java.util.concurrent.atomic.AtomicBoolean settled = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable settle = () -> {
            if (archive.isPresent() && !archived && !child.isAlive() && settled.compareAndSet(false, true)) {
                if (CLEAN_EXITS.contains(child.exitValue())) {
                    archive.get().install(pending);
                } else {
                    ClassArchive.discard(pending);
                }
            }
        };
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (child.isAlive()) {
                child.destroy(); // SIGTERM: the child stops gracefully
                try {
                    if (!child.waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                        child.destroyForcibly();
                        child.waitFor(5, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            synchronized (settled) {
                settle.run();
            }
        }, "orderwatch-launcher-stop"));
        // from here on this JVM only waits: one collection lets G1 give back the pages that reading the jar's
        // manifest and starting the child touched (about 10 MB of the ~45 MB it holds otherwise)
        System.gc();
        int exit = child.waitFor();
        synchronized (settled) {
            settle.run();
        }
        System.exit(exit);
    }

    /** ORDERWATCH_JVM_OPTIONS that decide class sharing themselves. */
    static boolean usesOwnArchive(String configured) {
        return configured != null && (configured.contains("-Xshare") || configured.contains("SharedArchiveFile")
                || configured.contains("ArchiveClassesAtExit"));
    }

    /** The child's command line: this JVM's java, the options, the -D properties, the class path, OrderwatchMain. */
    static List<String> command(String configured, List<String> ownOptions, long parentPid, long launchedAt, String classPath, String[] args) {
        return command(configured, List.of(), ownOptions, parentPid, launchedAt, classPath, args);
    }

    /** The same, with the class-data archive's options ({@link ClassArchive}). */
    static List<String> command(String configured, List<String> cds, List<String> ownOptions, long parentPid, long launchedAt,
                                String classPath, String[] args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(configured == null ? DEFAULT_OPTIONS : split(configured));
        cmd.addAll(cds);
        ownOptions.stream().filter(o -> o.startsWith("-D")).forEach(cmd::add);
        cmd.add("-D" + PARENT_PID + "=" + parentPid);
        cmd.add("-D" + LAUNCHED_AT + "=" + launchedAt);
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(OrderwatchMain.class.getName());
        cmd.addAll(Arrays.asList(args));
        return cmd;
    }

    /** An option that changes the JVM itself (heap, GC, JIT, agents), as opposed to a -D property. */
    static boolean isJvmOption(String arg) {
        return arg.startsWith("-X") || arg.startsWith("-agent") || arg.startsWith("-javaagent");
    }

    static List<String> split(String options) {
        return Arrays.stream(options.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * In the child: when the launcher that started it is gone (killed with SIGKILL, so it could not pass a
     * SIGTERM on), orderwatch stops as it does on SIGTERM instead of running on unseen.
     */
    static void stopWhenLauncherGoes() {
        String pid = System.getProperty(PARENT_PID);
        if (pid == null) {
            return;
        }
        ProcessHandle.of(Long.parseLong(pid)).ifPresentOrElse(
                parent -> parent.onExit().thenRun(() -> {
                    System.err.println("orderwatch: its launcher (pid " + pid + ") is gone; stopping");
                    System.exit(143);
                }),
                () -> System.exit(143));
    }
}
