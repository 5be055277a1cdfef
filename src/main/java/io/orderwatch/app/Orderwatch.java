package io.orderwatch.app;

import io.orderwatch.observe.Problems;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.main.SimpleMainShutdownStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * One orderwatch instance: checks its settings, starts the broker, the database and (in demo mode) the
 * admin simulator, binds the beans the routes call, and runs Camel Main over routes/. Everything it
 * starts is closed in reverse order after Camel has stopped, so in-flight work finishes first.
 */
public final class Orderwatch {

    private static final Logger LOG = LoggerFactory.getLogger(Orderwatch.class);

    private final Settings settings;
    private final Main main;
    private final Wiring wiring;

    private Orderwatch(Settings settings, Main main, Wiring wiring) {
        this.settings = settings;
        this.main = main;
        this.wiring = wiring;
    }

    /**
     * Prepares an instance without starting Camel.
     *
     * @param home      the folder that holds config/ and routes/
     * @param env       the environment (System.getenv() in production)
     * @param overrides property values that win over config/application.properties (tests)
     * @throws StartupProblem with one line naming the setting when it cannot start
     */
    public static Orderwatch create(Path home, Map<String, String> env, Properties overrides) {
        long created = System.nanoTime();
        Settings settings = Preflight.settings(home, env, overrides);
        Path data = settings.dataDir();
        Preflight.requireWritable(data, "ORDERWATCH_DATA_DIR");
        Preflight.requireFreePort(settings.httpPort(), "ORDERWATCH_HTTP_PORT");
        Preflight.requireFreePort(settings.managementPort(), "ORDERWATCH_MANAGEMENT_PORT");

        Wiring wiring = new Wiring(settings, java.time.Clock.systemUTC());
        if (StartupSteps.launchMs >= 0) {
            wiring.steps().record("jvm", StartupSteps.launchMs);
        }
        wiring.steps().record("settings", (System.nanoTime() - created) / 1_000_000);
        try {
            wiring.start();
        } catch (RuntimeException e) {
            wiring.close();
            throw e instanceof StartupProblem sp ? sp : new StartupProblem(Problems.oneLine(e), e);
        }

        Main main = new Main();
        // orderwatch's own shutdown hook stops Camel and then closes what Camel used (see OrderwatchMain)
        main.setShutdownStrategy(new SimpleMainShutdownStrategy());
        main.setPropertyPlaceholderLocations("file:" + home.resolve("config").resolve("application.properties").toAbsolutePath());
        Properties effective = new Properties();
        effective.putAll(overrides);
        effective.setProperty("camel.main.routesIncludePattern", "file:" + home.resolve("routes").toAbsolutePath() + "/*.camel.yaml");
        // where camel.main.routesReloadEnabled (ORDERWATCH_ROUTES_RELOAD, off by default) watches for changed routes
        effective.setProperty("camel.main.routesReloadDirectory", home.resolve("routes").toAbsolutePath().toString());
        effective.setProperty("camel.main.routesReloadPattern", "*.camel.yaml");
        effective.setProperty("orderwatch.effective.poll-ms", String.valueOf(settings.pollSeconds() * 1000L));
        effective.setProperty("orderwatch.effective.reevaluate-ms", String.valueOf(settings.reevaluateSeconds() * 1000L));
        effective.setProperty("orderwatch.effective.digest-cron", settings.digestCron());
        effective.setProperty("orderwatch.effective.city-digest-cron", settings.cityDigestCron());
        effective.setProperty("orderwatch.effective.admin-url", wiring.adminUrl());
        // ORDERWATCH_HTTP_HOST, ORDERWATCH_MANAGEMENT_HOST (127.0.0.1 unless set; always in demo mode)
        effective.setProperty("camel.server.host", settings.httpHost());
        effective.setProperty("camel.management.host", settings.managementHost());
        effective.setProperty("camel.component.jms.connectionFactory", "#jmsConnectionFactory");
        effective.setProperty("camel.component.quartz.scheduler", "#quartzScheduler");
        main.setOverrideProperties(effective);
        wiring.beans().forEach(main::bind);

        Orderwatch instance = new Orderwatch(settings, main, wiring);
        main.addMainListener(new MainListenerSupport() {
            private long phase;

            @Override
            public void beforeInitialize(BaseMainSupport m) {
                phase = System.nanoTime();
            }

            @Override
            public void beforeStart(BaseMainSupport m) {
                wiring.steps().record("routes", (System.nanoTime() - phase) / 1_000_000);
                phase = System.nanoTime();
            }

            @Override
            public void afterStart(BaseMainSupport m) {
                wiring.steps().record("camel", (System.nanoTime() - phase) / 1_000_000);
                instance.limitRequests();
                wiring.announce((System.nanoTime() - created) / 1_000_000);
                instance.started.forEach(Runnable::run);
            }

        });
        return instance;
    }

    /**
     * Bounds the requests the intake and the API hold at once (orderwatch.http.max-concurrent-requests,
     * orderwatch.http.max-inflight-body-bytes): platform-http buffers bodies and queues requests without
     * a bound of its own.
     */
    private void limitRequests() {
        if (!requestsLimited.compareAndSet(false, true)) {
            return;
        }
        var router = org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter.lookup(main.getCamelContext(),
                org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter.getRouterNameFromPort(settings.httpPort()));
        if (router == null) {
            LOG.warn("No platform-http router: HTTP requests are not limited");
            return;
        }
        long maxBody = Long.parseLong(settings.get("orderwatch.http.max-body-bytes", "10485760").trim());
        new io.orderwatch.api.RequestLimiter(Integer.parseInt(settings.get("orderwatch.http.max-concurrent-requests", "64").trim()),
                Long.parseLong(settings.get("orderwatch.http.max-inflight-body-bytes", String.valueOf(maxBody)).trim()), maxBody,
                wiring.metrics().registry()).install(router);
    }

    private final java.util.concurrent.atomic.AtomicBoolean requestsLimited = new java.util.concurrent.atomic.AtomicBoolean();
    private final List<Runnable> started = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Runs once {@link #run()} has started everything and said so in the log. */
    public void onStarted(Runnable action) {
        started.add(action);
    }

    /** Starts Camel and returns (tests and embedding). */
    public void start() throws Exception {
        main.start();
        limitRequests(); // Main calls its listeners' afterStart from run() only
    }

    /** Starts Camel and blocks until SIGTERM/SIGINT, then stops gracefully. */
    public void run() throws Exception {
        main.run();
    }

    /** Asks a running {@link #run()} to stop gracefully and return. */
    public void requestStop() {
        wiring.stopTaking(); // before Camel Main stops the context: the intakes are not left waiting for messages
        main.completed();
    }

    /** Stops Camel gracefully, then closes the database, the broker and the simulator. Idempotent. */
    public synchronized void stop() {
        // scheduled routes first stop firing (running jobs finish); in clustered Quartz the triggers
        // stay in the database for the other instances
        wiring.bean("quartzScheduler").ifPresent(s -> {
            try {
                ((org.quartz.Scheduler) s).standby();
            } catch (org.quartz.SchedulerException e) {
                LOG.warn("Pausing the scheduler failed: {}", Problems.oneLine(e));
            }
        });
        wiring.stopTaking(); // the intakes' takes stop waiting for messages, so Camel has nothing in flight to wait for
        try {
            main.stop();
        } catch (Exception e) {
            LOG.warn("Stopping Camel failed: {}", Problems.oneLine(e));
        }
        wiring.close();
    }

    public CamelContext camelContext() {
        return main.getCamelContext();
    }

    public Settings settings() {
        return settings;
    }

    public Wiring wiring() {
        return wiring;
    }

}
