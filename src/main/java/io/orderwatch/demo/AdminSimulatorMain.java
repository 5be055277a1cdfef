package io.orderwatch.demo;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Clock;
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
            world.onEvent(new HttpEventPoster(URI.create(eventsUrl), env("SIMULATOR_EVENTS_TOKEN", "")));
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
}
