package io.orderwatch.app;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * With ORDERWATCH_ROUTES_RELOAD on, a route file added or changed in routes/ is loaded without a
 * restart, and a file that does not load leaves every other route running.
 */
class RouteReloadTest {

    @TempDir
    Path home;

    private Orderwatch orderwatch;

    @AfterEach
    void stop() {
        if (orderwatch != null) {
            orderwatch.stop();
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    @Test
    void aRouteFileChangedOnDiskIsLoadedAndABrokenOneHarmsNothingUntilMended() throws Exception {
        copy(Path.of("config"), home.resolve("config"));
        copy(Path.of("routes"), home.resolve("routes"));
        Properties p = TestApp.demoOverrides(home.resolve("data"));
        p.setProperty("camel.main.routesReloadEnabled", "true");
        orderwatch = Orderwatch.create(home, Map.of(), p);
        orderwatch.start();
        int before = orderwatch.camelContext().getRoutes().size();

        Files.writeString(home.resolve("routes").resolve("say-hello.camel.yaml"), """
                - route:
                    id: say-hello
                    from:
                      uri: timer:say-hello
                      parameters:
                        period: 60000
                      steps:
                        - log: "Привет из маршрута, загруженного без перезапуска"
                """);
        await().atMost(Duration.ofSeconds(30)).until(() -> orderwatch.camelContext().getRoute("say-hello") != null);

        Files.writeString(home.resolve("routes").resolve("say-hello.camel.yaml"), """
                - route:
                    id: say-hello
                    from:
                      uri: timer:say-hello
                      parameters:
                        period: 60000
                      steps:
                        - log: "changed"
                        - log: "changed again"
                """);
        await().atMost(Duration.ofSeconds(30)).until(() -> orderwatch.camelContext().getRoute("say-hello") != null
                && orderwatch.camelContext().getRoute("say-hello").getRoute().toString().contains("changed again"));

        // a file that does not load: Camel logs "Error reloading routes from file: <path> due to: …" with the line
        // and column, every running route keeps running, and once the file is mended it is loaded
        Path broken = home.resolve("routes").resolve("mend-me.camel.yaml");
        Files.writeString(broken, "- route:\n    id: mend-me\n    from: [this is not a route\n");
        await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ofSeconds(3)).until(() -> true);
        await().atMost(Duration.ofSeconds(30)).until(() -> orderwatch.camelContext().getRoute("say-hello") != null);
        Files.writeString(broken, """
                - route:
                    id: mend-me
                    from:
                      uri: timer:mend-me
                      parameters:
                        period: 60000
                      steps:
                        - log: "mended"
                """);
        await().atMost(Duration.ofSeconds(30)).until(() -> orderwatch.camelContext().getRoute("mend-me") != null);
        // a reload restarts what it reloads; once it settles, every route of routes/ runs, none was unloaded
        await().atMost(Duration.ofSeconds(30)).until(() -> orderwatch.camelContext().getRoutes().size() >= before + 2
                && orderwatch.camelContext().getRoute("poll-admin-orders") != null
                && orderwatch.camelContext().getRouteController().getRouteStatus("notify-slack") != null
                && orderwatch.camelContext().getRouteController().getRouteStatus("notify-slack").isStarted());
    }
}
