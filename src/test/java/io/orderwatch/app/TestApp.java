package io.orderwatch.app;

import java.nio.file.Path;
import java.util.Properties;

/** Settings for running the whole application in a test: its own data dir and ports, fast demo schedules. */
public final class TestApp {

    private TestApp() {}

    /** The single number a COUNT query answers. */
    public static long count(io.orderwatch.store.Database db, String sql) {
        return db.read(c -> {
            try (var ps = c.prepareStatement(sql); var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** Stops orderwatch (when started), then closes the peers' stubs that were made, quietly. */
    public static void stop(Orderwatch orderwatch, AutoCloseable... stubs) {
        if (orderwatch != null) {
            orderwatch.stop();
        }
        for (AutoCloseable c : stubs) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // a stub that fails to close fails no test
            }
        }
    }

    /** GET on orderwatch's API with the test token ("api-secret"), answered 200, as JSON. */
    public static com.fasterxml.jackson.databind.JsonNode getJson(Orderwatch orderwatch, String path) throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + orderwatch.settings().httpPort() + path))
                .header("Authorization", "Bearer api-secret").build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        org.junit.jupiter.api.Assertions.assertEquals(200, r.statusCode(), r.body());
        return io.orderwatch.model.Json.mapper().readTree(r.body());
    }

    /**
     * Outside demo mode, against an admin-API stub: the API token "api-secret", links to a made-up admin
     * UI, polls every second, re-evaluation every 2 s, no digest during the test.
     */
    public static Properties configuredOverrides(Path data, String adminUrl) {
        Properties p = demoOverrides(data);
        p.setProperty("orderwatch.admin.url", adminUrl);
        p.setProperty("orderwatch.admin.ui-url", "https://arm.example.org");
        p.setProperty("orderwatch.api.token", "api-secret");
        p.setProperty("orderwatch.poll.seconds", "1");
        p.setProperty("orderwatch.stuck.reevaluate-seconds", "2");
        p.setProperty("orderwatch.digest.cron", "0 0 0 1 1 ? 2099");
        return p;
    }

    public static Properties demoOverrides(Path data) {
        Properties p = new Properties();
        p.setProperty("orderwatch.data-dir", data.toString());
        p.setProperty("orderwatch.http.port", String.valueOf(TestPorts.free()));
        p.setProperty("orderwatch.management.port", String.valueOf(TestPorts.free()));
        p.setProperty("orderwatch.broker.port", String.valueOf(TestPorts.free()));
        p.setProperty("orderwatch.demo.poll-seconds", "1");
        p.setProperty("orderwatch.demo.reevaluate-seconds", "2");
        p.setProperty("orderwatch.demo.digest-cron", "0/3 * * * * ?");
        return p;
    }
}
