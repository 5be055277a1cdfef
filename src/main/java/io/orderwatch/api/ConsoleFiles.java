package io.orderwatch.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The operator console's static files (src/main/resources/console), read once from the class path and
 * served by {@code serve-console} at {@code /} and {@code /console/<file>}. Only the files named here are
 * served: a path from the request never reaches the class loader. They hold no data and need no token;
 * the console's calls to the API carry it.
 */
public final class ConsoleFiles {

    /** What the route answers: a status, the content type (with its charset) and the bytes. */
    public record File(int status, String contentType, byte[] bytes) {}

    private static final Map<String, String> TYPES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "console.css", "text/css; charset=utf-8",
            "console.js", "text/javascript; charset=utf-8",
            "favicon.svg", "image/svg+xml; charset=utf-8");

    private static final File NOT_FOUND = new File(404, "text/plain; charset=utf-8", "Нет такого файла".getBytes(StandardCharsets.UTF_8));

    private final Map<String, File> files;

    public ConsoleFiles() {
        java.util.HashMap<String, File> loaded = new java.util.HashMap<>();
        TYPES.forEach((name, type) -> loaded.put(name, new File(200, type, read(name))));
        this.files = Map.copyOf(loaded);
    }

    /** The file of that name, or a 404. */
    public File file(String name) {
        return name == null ? NOT_FOUND : files.getOrDefault(name, NOT_FOUND);
    }

    private static byte[] read(String name) {
        try (InputStream in = ConsoleFiles.class.getResourceAsStream("/console/" + name)) {
            if (in == null) {
                throw new IllegalStateException("console/" + name + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
