package io.orderwatch.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher's class-data archive: written by a JVM at exit on the first start, used by the next ones
 * (the JVM itself is asked to refuse to start without it, {@code -Xshare:on}), made again when a jar or the
 * JDK changes, and never for a class path of folders.
 */
class ClassArchiveTest {

    @TempDir
    Path dir;

    /** A class that the jars below carry and run. */
    public static final class Hello {
        public static void main(String[] args) {
            System.out.println("hello " + new java.util.TreeMap<>(java.util.Map.of("a", 1)));
        }
    }

    @Test
    void theFirstStartWritesTheArchiveAndTheNextOnesMapIt() throws Exception {
        Path jar = jar(dir.resolve("app.jar"), "lib/extra.jar");
        jar(dir.resolve("lib").resolve("extra.jar"), null);
        ClassArchive first = ClassArchive.forClassPath(jar.toString(), "jdk", "17").orElseThrow();
        assertFalse(first.matches(), "no archive yet");
        Path pending = first.pending(7);
        assertEquals(0, run(first.options(false, pending), jar));
        assertTrue(Files.size(pending) > 0, "the JVM wrote its classes at exit");
        first.install(pending);
        assertFalse(Files.exists(pending));

        ClassArchive second = ClassArchive.forClassPath(jar.toString(), "jdk", "17").orElseThrow();
        assertTrue(second.matches());
        List<String> mapped = new ArrayList<>(second.options(true, second.pending(8)));
        mapped.add("-Xshare:on"); // the JVM exits with an error when it cannot map the archive
        assertEquals(0, run(mapped, jar), "the archive is usable by the JVM");

        Files.setLastModifiedTime(dir.resolve("lib").resolve("extra.jar"), FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        assertFalse(ClassArchive.forClassPath(jar.toString(), "jdk", "17").orElseThrow().matches(), "a jar of the manifest changed");
        assertFalse(ClassArchive.forClassPath(jar.toString(), "jdk", "18").orElseThrow().matches(), "another JDK");
    }

    @Test
    void anUncleanExitLeavesNothingAndFoldersGetNoArchive() throws Exception {
        Path jar = jar(dir.resolve("app.jar"), null);
        ClassArchive a = ClassArchive.forClassPath(jar.toString(), "jdk", "17").orElseThrow();
        Path pending = a.pending(9);
        Files.writeString(pending, "half");
        ClassArchive.discard(pending);
        assertFalse(Files.exists(pending));
        a.install(pending); // nothing to install
        assertFalse(a.matches());

        assertTrue(ClassArchive.forClassPath(dir.toString(), "jdk", "17").isEmpty(), "a folder of classes");
        assertTrue(ClassArchive.forClassPath(jar + java.io.File.pathSeparator + dir, "jdk", "17").isEmpty());
        assertTrue(ClassArchive.forClassPath(dir.resolve("missing.jar").toString(), "jdk", "17").isEmpty());
        assertTrue(Launcher.usesOwnArchive("-Xmx1g -Xshare:off") && !Launcher.usesOwnArchive("-Xmx1g") && !Launcher.usesOwnArchive(null));
    }

    private static int run(List<String> options, Path jar) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:+UseSerialGC");
        cmd.addAll(options);
        cmd.add("-cp");
        cmd.add(jar.toString());
        cmd.add(Hello.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertTrue(out.contains("hello {a=1}"), out);
        return p.exitValue();
    }

    private static Path jar(Path path, String classPath) throws IOException {
        Files.createDirectories(path.getParent());
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (classPath != null) {
            m.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
        }
        try (OutputStream out = Files.newOutputStream(path); JarOutputStream jar = new JarOutputStream(out, m)) {
            String name = Hello.class.getName().replace('.', '/') + ".class";
            jar.putNextEntry(new JarEntry(name));
            try (InputStream in = Hello.class.getClassLoader().getResourceAsStream(name)) {
                in.transferTo(jar);
            }
            jar.closeEntry();
        }
        return path;
    }
}
