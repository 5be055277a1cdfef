package io.orderwatch.app;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesComponent;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Everything checked before anything starts: the configuration file, every setting, the data dir and
 * the ports. Reads config/application.properties exactly as Camel Main will (same placeholders, same
 * environment functions), so what is checked is what runs.
 */
final class Preflight {

    private Preflight() {}

    static Settings settings(Path home, Map<String, String> env, Properties overrides) {
        Path config = home.resolve("config").resolve("application.properties");
        if (!Files.isRegularFile(config)) {
            throw new StartupProblem("no configuration at " + config.toAbsolutePath()
                    + ": run from the project folder or set ORDERWATCH_HOME to the folder that holds config/ and routes/");
        }
        if (!Files.isDirectory(home.resolve("routes"))) {
            throw new StartupProblem("no routes/ folder in " + home.toAbsolutePath() + " (ORDERWATCH_HOME)");
        }
        DefaultCamelContext ctx = new DefaultCamelContext(false);
        PropertiesComponent pc = ctx.getPropertiesComponent();
        pc.setLocation("file:" + config.toAbsolutePath());
        if (!overrides.isEmpty()) {
            pc.setOverrideProperties(overrides);
        }
        ctx.build();
        List<String> keys = new ArrayList<>(pc.loadPropertiesAsMap().keySet().stream().map(String::valueOf).toList());
        overrides.stringPropertyNames().forEach(k -> {
            if (!keys.contains(k)) {
                keys.add(k);
            }
        });
        Settings settings = Settings.of(home, key -> {
            try {
                return pc.resolveProperty(key).map(Preflight::fromPropertiesFile);
            } catch (RuntimeException e) {
                throw new StartupProblem(key + " cannot be resolved: " + e.getMessage());
            }
        }, env).withKeys(keys);
        List<String> problems = settings.problems();
        if (!problems.isEmpty()) {
            throw new StartupProblem(problems.get(0)
                    + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more: " + String.join("; ", problems.subList(1, problems.size())) + ")" : ""));
        }
        return settings;
    }

    /**
     * config/application.properties is UTF-8, but Camel's properties component reads a file as ISO-8859-1
     * (its encoding setting is not applied to file: locations in 4.18): a Russian value arrives as its UTF-8
     * bytes taken one char each. Such a value is read back as UTF-8 here, once, for every setting; a value
     * that is not a valid UTF-8 byte sequence (or came from the environment, already decoded) is kept as is.
     */
    static String fromPropertiesFile(String s) {
        if (s == null || s.chars().allMatch(ch -> ch < 0x80) || s.chars().anyMatch(ch -> ch > 0xFF)) {
            return s;
        }
        try {
            return java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return s;
        }
    }

    static void requireWritable(Path dir, String variable) {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".probe", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw new StartupProblem(variable + " " + dir.toAbsolutePath() + " is not a writable folder: " + e.getMessage());
        }
    }

    static void requireFreePort(int port, String variable) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            throw new StartupProblem(variable + " " + port + " is already in use (another orderwatch, or another program, listens there)");
        }
    }
}
