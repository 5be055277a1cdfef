package io.orderwatch.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The class-data archive (AppCDS, JDK 17's dynamic archive) that lets orderwatch's JVM map its ~12,000
 * classes instead of reading, parsing and verifying them from the jars at every start: about a third of
 * the CPU a start costs.
 *
 * <p>It lives beside the jar ({@code orderwatch.jsa}, with {@code orderwatch.jsa.key} naming what it was
 * made from: the JDK, and the name, size and time of the jar and of every jar its manifest lists). The
 * first start after a build (or after a JDK change) has none that matches: it runs with
 * {@code -XX:ArchiveClassesAtExit} into a file of its own, and the launcher moves that into place once
 * the JVM has exited cleanly (a start that crashed or was killed leaves nothing behind). Every later start
 * maps it with {@code -XX:SharedArchiveFile}. Only for a class path made of jars (CDS takes classes from
 * jars only), and never when the folder beside the jar cannot be written. The JVM checks the archive
 * again itself and runs without it if it does not fit, so a wrong archive can cost speed, never a start.
 */
final class ClassArchive {

    static final String FILE = "orderwatch.jsa";

    private final Path archive;
    private final Path keyFile;
    private final String key;

    private ClassArchive(Path archive, String key) {
        this.archive = archive;
        this.keyFile = archive.resolveSibling(archive.getFileName() + ".key");
        this.key = key;
    }

    /** The archive for this class path and JDK, or empty when CDS cannot be used for it. */
    static Optional<ClassArchive> forClassPath(String classPath, String javaHome, String vmVersion) {
        try {
            List<Path> jars = new ArrayList<>();
            for (String entry : classPath.split(java.io.File.pathSeparator)) {
                if (entry.isEmpty()) {
                    continue;
                }
                Path jar = Path.of(entry).toAbsolutePath().normalize();
                if (!entry.endsWith(".jar") || !Files.isRegularFile(jar)) {
                    return Optional.empty(); // a folder of classes (tests, an IDE): CDS archives classes from jars only
                }
                jars.add(jar);
                jars.addAll(manifestClassPath(jar));
            }
            if (jars.isEmpty() || !Files.isWritable(jars.get(0).getParent())) {
                return Optional.empty();
            }
            StringBuilder what = new StringBuilder(javaHome).append('\n').append(vmVersion).append('\n');
            for (Path jar : jars) {
                if (!Files.isRegularFile(jar)) {
                    continue; // the JVM skips a missing manifest entry too
                }
                what.append(jar).append(' ').append(Files.size(jar)).append(' ').append(Files.getLastModifiedTime(jar).toMillis()).append('\n');
            }
            return Optional.of(new ClassArchive(jars.get(0).resolveSibling(FILE), sha256(what.toString())));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Whether the archive beside the jar was made from exactly this class path and JDK. */
    boolean matches() {
        try {
            return Files.isRegularFile(archive) && Files.isRegularFile(keyFile)
                    && key.equals(Files.readString(keyFile, StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            return false;
        }
    }

    /** The file a JVM without a matching archive writes its own into when it exits. */
    Path pending(long launcherPid) {
        return archive.resolveSibling(FILE + "." + launcherPid + ".tmp");
    }

    /** The child's options: map the archive, or write one at exit into {@code pending}. */
    List<String> options(boolean matches, Path pending) {
        // -Xlog:cds=off: at exit the JVM warns of each class it cannot archive (generated accessors), noise for an operator
        return matches
                ? List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off")
                : List.of("-XX:ArchiveClassesAtExit=" + pending, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    }

    /** After a child that wrote {@code pending} exited cleanly: the archive and its key take their place. */
    void install(Path pending) {
        try {
            if (!Files.isRegularFile(pending) || Files.size(pending) == 0) {
                return;
            }
            Path keyPending = pending.resolveSibling(pending.getFileName() + ".key");
            Files.writeString(keyPending, key + "\n", StandardCharsets.UTF_8);
            Files.deleteIfExists(keyFile); // a crash between the moves leaves an archive without a key: not used, made again
            move(pending, archive);
            move(keyPending, keyFile);
        } catch (IOException e) {
            discard(pending);
        }
    }

    /** A child that did not exit cleanly may have left half an archive. */
    static void discard(Path pending) {
        try {
            Files.deleteIfExists(pending);
            Files.deleteIfExists(pending.resolveSibling(pending.getFileName() + ".key"));
        } catch (IOException ignored) {
            // beside the jar; the next start writes its own under another name
        }
    }

    Path archive() {
        return archive;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static List<Path> manifestClassPath(Path jar) throws IOException {
        try (JarFile jf = new JarFile(jar.toFile())) {
            Manifest m = jf.getManifest();
            String cp = m == null ? null : m.getMainAttributes().getValue("Class-Path");
            if (cp == null || cp.isBlank()) {
                return List.of();
            }
            List<Path> out = new ArrayList<>();
            for (String e : cp.trim().split("\\s+")) {
                out.add(jar.resolveSibling(e).normalize());
            }
            return out;
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
