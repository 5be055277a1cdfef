package io.orderwatch.demo;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;

/**
 * The admin simulator as a service of its own (docker-compose): SIMULATOR_PORT (8090), SIMULATOR_BIND
 * (0.0.0.0), SIMULATOR_TOKEN, SIMULATOR_TICK_SECONDS (5), and SIMULATOR_EVENTS_URL /
 * SIMULATOR_EVENTS_TOKEN to post the event feed to orderwatch's intake (kept and retried while the
 * intake does not answer, at most 10,000 events).
 */
public final class AdminSimulatorMain {

    private static final Logger LOG = LoggerFactory.getLogger(AdminSimulatorMain.class);

    private AdminSimulatorMain() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(env("SIMULATOR_PORT", "8090"));
        int tick = Integer.parseInt(env("SIMULATOR_TICK_SECONDS", "5"));
        DemoWorld world = new DemoWorld(42, Clock.systemUTC());
        String eventsUrl = env("SIMULATOR_EVENTS_URL", "");
        if (!eventsUrl.isBlank()) {
            world.onEvent(new EventPoster(URI.create(eventsUrl), env("SIMULATOR_EVENTS_TOKEN", "")));
        }
        AdminSimulator sim = new AdminSimulator(world, env("SIMULATOR_BIND", "0.0.0.0"), port, env("SIMULATOR_TOKEN", ""), tick);
        LOG.info("Admin simulator serving the reference admin API on port {}", port);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.close();
            stop.countDown();
        }));
        stop.await();
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    /** Posts events one by one; what the intake does not take yet is kept (bounded) and retried. */
    static final class EventPoster implements java.util.function.Consumer<String> {
        private static final int MAX_KEPT = 10_000;
        private final URI url;
        private final String token;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final Deque<String> kept = new ArrayDeque<>();
        private long dropped;

        EventPoster(URI url, String token) {
            this.url = url;
            this.token = token;
        }

        @Override
        public synchronized void accept(String event) {
            kept.addLast(event);
            while (kept.size() > MAX_KEPT) {
                kept.removeFirst();
                dropped++;
                if (dropped % 1000 == 1) {
                    LOG.warn("Event intake unreachable: dropped {} oldest simulated events", dropped);
                }
            }
            while (!kept.isEmpty()) {
                HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(kept.peekFirst()));
                if (!token.isBlank()) {
                    b.header("Authorization", "Bearer " + token);
                }
                try {
                    int status = http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                    if (status >= 500 || status == 429 || status == 404) {
                        return; // retry with the next event
                    }
                    kept.removeFirst();
                } catch (Exception e) {
                    return;
                }
            }
        }
    }
}
