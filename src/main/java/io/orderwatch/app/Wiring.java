package io.orderwatch.app;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.orderwatch.alert.AlertBook;
import io.orderwatch.alert.AlertOutbox;
import io.orderwatch.alert.MuteCheck;
import io.orderwatch.broker.BrokerSettings;
import io.orderwatch.broker.BrokerTopology;
import io.orderwatch.broker.EmbeddedBroker;
import io.orderwatch.broker.JmsConnections;
import io.orderwatch.broker.QueueBatches;
import io.orderwatch.demo.AdminSimulator;
import io.orderwatch.demo.DemoWorld;
import io.orderwatch.source.AdminApiClient;
import io.orderwatch.source.AdminApiSettings;
import io.orderwatch.source.AdminPoller;
import io.orderwatch.store.Quarantine;
import io.orderwatch.detect.OrderDetector;
import io.orderwatch.detect.OrderEvaluator;
import io.orderwatch.detect.StuckOrderDetector;
import io.orderwatch.detect.CompositionChangeDetector;
import io.orderwatch.detect.DeletedStoreOrderDetector;
import io.orderwatch.source.EventProcessor;
import io.orderwatch.detect.ExportFailedDetector;
import io.orderwatch.detect.ItemLinkErrorDetector;
import io.orderwatch.broker.EventQueue;
import io.orderwatch.api.ApiAuth;
import io.orderwatch.source.EventIntake;
import io.orderwatch.store.ProcessedEvents;
import io.orderwatch.observe.Metrics;
import io.orderwatch.api.DeliveryApi;
import io.orderwatch.broker.DeadLetterIntake;
import io.orderwatch.notify.SinkConfig;
import io.orderwatch.notify.SinkContext;
import io.orderwatch.notify.delivery.DeliveryDispatcher;
import io.orderwatch.notify.delivery.DeliveryFailedAlarm;
import io.orderwatch.notify.delivery.RetryPolicy;
import io.orderwatch.notify.email.EmailWiring;
import io.orderwatch.notify.slack.SlackWiring;
import io.orderwatch.notify.tickets.TicketWiring;
import io.orderwatch.store.DeadLetters;
import io.orderwatch.store.DeliveryLedger;
import io.orderwatch.observe.ReadinessCheck;
import io.orderwatch.store.AlertStore;
import io.orderwatch.store.Database;
import io.orderwatch.store.DbSettings;
import io.orderwatch.store.OrderSnapshots;
import io.orderwatch.store.Retention;
import io.orderwatch.store.StoreDirectory;
import io.orderwatch.store.StoreException;
import io.orderwatch.store.Watermarks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds and owns everything outside Camel: broker, database, simulator, and the beans that the routes
 * call by name. Started before Camel, closed after it (reverse order of start).
 */
public final class Wiring implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Wiring.class);

    private final Settings settings;
    private final Clock clock;
    private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
    private final Map<String, Object> beans = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    private final PrometheusMeterRegistry meterRegistry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Metrics metrics = new Metrics(meterRegistry);
    private String adminUrl;
    private Database db;
    private boolean closed;

    Wiring(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    void start() {
        beans.put("metricsRegistry", meterRegistry);
        // broker, database and simulator do not need each other: they start side by side (most of
        // their time is class loading and file I/O), then what needs them is built on this thread
        parallel(List.of(
                new StartStep("broker", this::startBroker),
                new StartStep("database", this::startDatabase),
                new StartStep("simulator", this::startAdminSource)));
        steps.time("pipeline", this::startPipeline);
        steps.time("sinks", this::startSinks);
    }

    private final StartupSteps steps = new StartupSteps();

    /** A start-up step that owns what it pushes on its deque (closed in reverse order, after later steps' things). */
    private record StartStep(String name, java.util.function.Consumer<Deque<AutoCloseable>> work) {}

    /**
     * Runs the steps on threads of their own and waits for all of them. What each started is then
     * owned in the order of the list, so closing stays the reverse of that order whatever finished
     * first; the first step (in list order) that failed is rethrown once all have ended.
     */
    private void parallel(List<StartStep> list) {
        List<Deque<AutoCloseable>> owned = new java.util.ArrayList<>();
        RuntimeException[] failures = new RuntimeException[list.size()];
        List<Thread> threads = new java.util.ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            StartStep step = list.get(i);
            Deque<AutoCloseable> own = new java.util.concurrent.ConcurrentLinkedDeque<>();
            owned.add(own);
            int index = i;
            Thread t = new Thread(() -> {
                try {
                    steps.time(step.name(), () -> step.work().accept(own));
                } catch (RuntimeException | Error e) {
                    failures[index] = e instanceof RuntimeException re ? re : new IllegalStateException(e);
                }
            }, "orderwatch-start-" + step.name());
            threads.add(t);
            t.start();
        }
        boolean interrupted = false;
        for (Thread t : threads) {
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        for (Deque<AutoCloseable> own : owned) {
            own.descendingIterator().forEachRemaining(closeables::push);
        }
        for (RuntimeException f : failures) {
            if (f != null) {
                throw f;
            }
        }
    }

    StartupSteps steps() {
        return steps;
    }

    // ---- broker -----------------------------------------------------------------------

    private void startBroker(Deque<AutoCloseable> closeables) {
        BrokerSettings bs = new BrokerSettings(settings.brokerUrl(), settings.get("orderwatch.broker.user"),
                settings.get("orderwatch.broker.password"), settings.brokerPort(),
                settings.brokerBindHost(),
                settings.dataDir(), settings.duration("orderwatch.broker.redelivery-delay", "1s"),
                parseDouble("orderwatch.broker.redelivery-multiplier", "2.0"),
                settings.duration("orderwatch.broker.max-redelivery-delay", "5m"),
                parseInt("orderwatch.broker.max-delivery-attempts", "10"), parseInt("orderwatch.broker.max-disk-usage", "95"));
        bs.problem().ifPresent(p -> {
            throw new StartupProblem(p);
        });
        EmbeddedBroker broker = null;
        if (bs.embedded()) {
            Preflight.requireFreePort(bs.port(), "ORDERWATCH_BROKER_PORT");
            broker = new EmbeddedBroker(bs, settings.configDir().resolve("broker.xml"));
            try {
                broker.start();
            } catch (Exception e) {
                throw new StartupProblem("embedded broker in ORDERWATCH_DATA_DIR did not start: " + io.orderwatch.observe.Problems.oneLine(e), e);
            }
            closeables.push(broker);
            embeddedBroker = broker;
            brokerWhere = broker.description();
        } else {
            brokerWhere = io.orderwatch.observe.LogText.mask(bs.externalUrl());
        }
        JmsConnections jms = new JmsConnections(bs, broker);
        closeables.push(jms);
        if (!bs.embedded()) {
            jms.problem().ifPresent(p -> LOG.warn("ORDERWATCH_BROKER_URL: {} (orderwatch keeps trying)", p));
        }
        beans.put("jmsConnectionFactory", jms.connectionFactory());
        jmsFactory = jms.connectionFactory();
        beans.put("brokerReadiness", new ReadinessCheck("broker", jms::problem, readiness));
    }

    private jakarta.jms.ConnectionFactory jmsFactory;
    /** The broker's, database's and admin API's readiness, asked together by one /observe/health. */
    private final ReadinessCheck.Group readiness = new ReadinessCheck.Group();
    /** The most messages a sink's intake takes off its queue in one transaction. */
    static final int INTAKE_BATCH = 100;
    private String brokerWhere;
    private EmbeddedBroker embeddedBroker;

    /** The embedded broker, when there is one (tests stop and start it under a running orderwatch). */
    public Optional<EmbeddedBroker> embeddedBroker() {
        return Optional.ofNullable(embeddedBroker);
    }

    // ---- database ---------------------------------------------------------------------

    private String databaseWhere;

    private void startDatabase(Deque<AutoCloseable> closeables) {
        DbSettings dbSettings = settings.dbUrl().isEmpty()
                ? DbSettings.embedded(settings.dataDir())
                : new DbSettings(settings.dbUrl(), settings.get("orderwatch.db.user"), settings.get("orderwatch.db.password"),
                        parseInt("orderwatch.db.pool-size", "8"));
        dbSettings.problem().ifPresent(p -> {
            throw new StartupProblem(p);
        });
        try {
            db = Database.open(dbSettings);
        } catch (StoreException e) {
            throw new StartupProblem((settings.dbUrl().isEmpty() ? "embedded database in ORDERWATCH_DATA_DIR: " : "ORDERWATCH_DB_URL: ")
                    + e.getMessage(), e);
        }
        closeables.push(db);
        databaseWhere = db.dialect() + (settings.dbUrl().isEmpty() ? " in " + settings.dataDir().resolve("db")
                : " at " + io.orderwatch.observe.LogText.mask(settings.dbUrl()));
        beans.put("databaseReadiness", new ReadinessCheck("database", db::problem, readiness));
        try {
            // the instance name is the cluster's name: every orderwatch sharing this database joins it
            org.quartz.Scheduler scheduler = io.orderwatch.store.ClusteredScheduler.create(db, "orderwatch", 6);
            // closed before the database (closeables run in reverse): running jobs finish first
            closeables.push(() -> {
                if (!scheduler.isShutdown()) {
                    scheduler.shutdown(true);
                }
            });
            beans.put("quartzScheduler", scheduler);
        } catch (org.quartz.SchedulerException e) {
            throw new StartupProblem("the scheduler could not use the database: " + io.orderwatch.observe.Problems.oneLine(e), e);
        }
    }

    // ---- admin system -----------------------------------------------------------------

    private void startAdminSource(Deque<AutoCloseable> closeables) {
        String token = settings.adminToken();
        if (settings.demoMode()) {
            try {
                DemoWorld world = new DemoWorld(42, Clock.systemUTC());
                // the simulated feed reaches orderwatch the way a real one does: POST /api/v1/events
                world.onEvent(new io.orderwatch.demo.HttpEventPoster(
                        java.net.URI.create("http://127.0.0.1:" + settings.httpPort() + "/api/v1/events"), settings.apiToken()));
                simulator = new AdminSimulator(world, "127.0.0.1", 0, null, settings.demoTickSeconds());
            } catch (java.io.IOException e) {
                throw new StartupProblem("the demo admin simulator could not start: " + e.getMessage(), e);
            }
            closeables.push(simulator);
            adminUrl = simulator.baseUrl();
            token = null;
        } else {
            adminUrl = settings.adminUrl();
        }
        client = new AdminApiClient(new AdminApiSettings(java.net.URI.create(adminUrl), token,
                settings.duration("orderwatch.admin.connect-timeout", "10s"), settings.duration("orderwatch.admin.read-timeout", "60s"),
                settings.adminPageSize(), parseInt("orderwatch.admin.max-attempts", "4"),
                settings.duration("orderwatch.admin.backoff", "2s"), settings.duration("orderwatch.admin.max-backoff", "60s"),
                settings.duration("orderwatch.admin.max-retry-after", "5m"),
                Long.parseLong(settings.get("orderwatch.admin.max-page-bytes", String.valueOf(AdminApiSettings.DEFAULT_MAX_PAGE_BYTES)).trim()),
                settings.duration("orderwatch.admin.max-page-time", "5m")));
    }

    private AdminSimulator simulator;
    private AlertStore alertStore;
    private AlertBook book;
    private AdminApiClient client;

    // ---- detect + alert book ------------------------------------------------------------

    private void startPipeline() {
        alertStore = new AlertStore(db.dialect());
        io.orderwatch.store.SilenceStore silenceStore = new io.orderwatch.store.SilenceStore(db);
        loadConfigSilences(silenceStore);
        io.orderwatch.alert.Silences silences = new io.orderwatch.alert.Silences(silenceStore);
        book = new AlertBook(db, alertStore, silences, clock);
        beans.put("alertBook", book);
        beans.put("alertApi", new io.orderwatch.api.AlertApi(new ApiAuth(settings.apiToken()), db, alertStore, silenceStore, silences, book, clock));
        StoreDirectory stores = new StoreDirectory(db);
        beans.put("storeDirectory", stores);
        beans.put("silences", silences);
        List<OrderDetector> detectors = List.of(
                new StuckOrderDetector(settings.stuckLimits()),
                new DeletedStoreOrderDetector(),
                new ExportFailedDetector(),
                new ItemLinkErrorDetector(),
                new CompositionChangeDetector());
        OrderEvaluator evaluator = new OrderEvaluator(db, new OrderSnapshots(db.dialect()), stores, book, detectors, metrics, clock);
        AdminPoller poller = new AdminPoller(client, evaluator, stores, db, new Watermarks(db), new Quarantine(db),
                new io.orderwatch.store.SourceHealth(db), metrics, settings.pollOverlap(), clock);
        poller.withSourceDownAlarm(new io.orderwatch.detect.SourceDownDetector(book, "admin-api"),
                settings.duration("orderwatch.source-down.after", "5m"));
        evaluator.pauseWhile(poller::isDown);
        beans.put("orderEvaluator", evaluator);
        io.orderwatch.broker.AlertPublisher publisher = new io.orderwatch.broker.AlertPublisher(jmsFactory);
        beans.put("alertOutbox", new AlertOutbox(db, alertStore, metrics, clock, 500, events -> publisher.publish(
                events.stream().map(e -> new io.orderwatch.broker.AlertPublisher.Event(e.eventId(), e.payload())).toList())));
        beans.put("adminPoller", poller);
        beans.put("eventProcessor", new EventProcessor(db, new ProcessedEvents(), evaluator, alertStore, new Quarantine(db), metrics, clock));
        beans.put("eventIntake", new EventIntake(new ApiAuth(settings.apiToken()), new EventQueue(jmsFactory), metrics));
        beans.put("adminReadiness", new ReadinessCheck("admin-api", poller::problem, readiness));
        startIntegratorBeans();
        startRetention();
    }

    // ---- integrators' routes (issue 12) -----------------------------------------------------
    // The beans that routes without Java call: the generic mapping (config/mappings/<name>.jslt), the
    // watermark of a source route, and direct:raise-finding for an alert kind of their own.
    private void startIntegratorBeans() {
        beans.put("mapping", new io.orderwatch.source.JsonMapping(settings.configDir().resolve("mappings"), io.orderwatch.model.Json.mapper()));
        beans.put("sourceWatermarks", new io.orderwatch.source.SourceWatermarks(new Watermarks(db), clock));
        beans.put("raisedFindings", new io.orderwatch.alert.RaisedFindings(db, book, metrics, clock));
    }
    // ---- end of integrators' routes --------------------------------------------------------------

    private void startRetention() {
        String cron = settings.get("orderwatch.retention.cron", "0 17 * * * ?");
        if (!org.quartz.CronExpression.isValidExpression(cron)) {
            throw new StartupProblem("orderwatch.retention.cron is not a Quartz cron expression: \"" + cron + "\"");
        }
        int batchSize = parseInt("orderwatch.retention.batch-size", "1000");
        int maxBatches = parseInt("orderwatch.retention.max-batches", "100");
        if (batchSize < 1 || maxBatches < 1) {
            throw new StartupProblem("orderwatch.retention.batch-size and orderwatch.retention.max-batches must be at least 1");
        }
        Retention retention = new Retention(db, Retention.RULES, rule -> {
            String value = settings.get(rule.setting(), rule.fallback());
            java.time.Duration d;
            try {
                d = io.orderwatch.detect.StuckLimits.parseDuration(value, rule.setting());
            } catch (IllegalArgumentException e) {
                d = java.time.Duration.ZERO;
            }
            if (d.isZero() || d.isNegative()) {
                throw new StartupProblem(rule.setting() + " must be a positive duration such as 30d, got \"" + value + "\"");
            }
            return d;
        }, batchSize, maxBatches, clock);
        beans.put("retention", retention);
    }

    /**
     * Silences from config: orderwatch.silence.<name>.kind / storeId / chainId / orderId / until / comment.
     * Each is kept as silence "config-<name>"; one removed from config is removed here too.
     */
    private void loadConfigSilences(io.orderwatch.store.SilenceStore store) {
        java.util.Map<String, java.util.Map<String, String>> byName = new java.util.TreeMap<>();
        for (String key : settings.propertyKeys("orderwatch.silence.")) {
            String rest = key.substring("orderwatch.silence.".length());
            int dot = rest.indexOf('.');
            if (dot > 0) {
                byName.computeIfAbsent(rest.substring(0, dot), k -> new java.util.LinkedHashMap<>()).put(rest.substring(dot + 1), settings.get(key));
            }
        }
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (var e : byName.entrySet()) {
            java.util.Map<String, String> matchers = new java.util.LinkedHashMap<>();
            for (String k : io.orderwatch.alert.Silence.MATCHER_KEYS) {
                String v = e.getValue().get(k);
                if (v != null && !v.isBlank()) {
                    matchers.put(k, v);
                }
            }
            String until = e.getValue().get("until");
            if (matchers.isEmpty() || until == null) {
                throw new StartupProblem("orderwatch.silence." + e.getKey() + " needs at least one of kind, storeId, chainId, orderId and an until time");
            }
            java.time.OffsetDateTime end;
            try {
                end = java.time.OffsetDateTime.parse(until);
            } catch (java.time.format.DateTimeParseException ex) {
                throw new StartupProblem("orderwatch.silence." + e.getKey() + ".until is not an ISO-8601 time with an offset: \"" + until + "\"");
            }
            String id = "config-" + e.getKey();
            ids.add(id);
            store.save(new io.orderwatch.alert.Silence(id, matchers, end, e.getValue().get("comment"), "config",
                    java.time.OffsetDateTime.now(clock), "config"));
        }
        store.retainConfig(ids);
    }

    // ---- delivery core and sinks ----------------------------------------------------------

    private void startSinks() {
        DeliveryLedger ledger = new DeliveryLedger(db.dialect());
        DeliveryDispatcher dispatcher = new DeliveryDispatcher(db, ledger,
                new RetryPolicy(settings.duration("orderwatch.delivery.retry-initial", "2s"),
                        settings.duration("orderwatch.delivery.retry-max", "10m"), settings.duration("orderwatch.delivery.max-age", "24h")),
                settings.duration("orderwatch.delivery.claim-timeout", "2m"), new DeliveryFailedAlarm(book, clock), metrics, clock);
        // closed before the database and the broker: deliveries in flight finish and are recorded
        closeables.push(dispatcher);
        beans.put("deliveryDispatcher", dispatcher);
        SinkContext ctx = new SinkContext(sinkConfig(), db, clock, metrics, book, dispatcher, ledger, settings.dataDir().resolve("outbox"),
                settings.configDir(), settings.adminUiUrl(adminUrl), settings.teamZone(), settings.demoMode(), client);
        Map<String, DeadLetterIntake.Intake> intakes = new LinkedHashMap<>();
        for (SinkContext.Wired sink : List.of(EmailWiring.wire(ctx), SlackWiring.wire(ctx), TicketWiring.wire(ctx))) {
            beans.putAll(sink.beans());
            announcements.add(sink.announcement());
            intakes.put(BrokerTopology.ALERTS + "." + sink.sink(), sink.intake()::accept);
            // notify-<sink> takes its queue through this, several messages per transaction; closed
            // before the broker and the database (a take in progress finishes first)
            QueueBatches queue = new QueueBatches(jmsFactory, BrokerTopology.fqqn(BrokerTopology.ALERTS, BrokerTopology.ALERTS + "." + sink.sink()),
                    INTAKE_BATCH, java.time.Duration.ofSeconds(1), sink.batch());
            closeables.push(queue);
            beans.put(sink.sink() + "Intake", queue);
        }
        DeadLetterIntake deadLetters = new DeadLetterIntake(db, new DeadLetters(), jmsFactory, clock, intakes);
        beans.put("deadLetterIntake", deadLetters);
        beans.put("deliveryApi", new DeliveryApi(new ApiAuth(settings.apiToken()), db, ledger, alertStore, new DeadLetters(), deadLetters, clock));
        startConsole();
        metrics.gauge("orderwatch.dead.letters", "Broker messages no consumer could process, waiting in the dead letters", () -> {
            try {
                return db.read(c -> new DeadLetters().countDead(c));
            } catch (RuntimeException e) {
                return -1;
            }
        });
    }

    // ---- operator console (issue 11) ---------------------------------------------------------
    // Its static files, and the two API calls it makes beyond the contract's (links' base, load by hour).
    private void startConsole() {
        beans.put("consoleFiles", new io.orderwatch.api.ConsoleFiles());
        Map<String, io.orderwatch.notify.email.ShiftSchedule> shifts = new LinkedHashMap<>();
        for (String key : settings.propertyKeys("orderwatch.digest.shift.")) {
            String value = settings.get(key, "");
            if (!value.isBlank()) {
                // checked at start-up by the e-mail sink already; a shift that does not parse is left out here
                try {
                    shifts.put(key.substring("orderwatch.digest.shift.".length()),
                            io.orderwatch.notify.email.ShiftSchedule.parse(Map.of(key, value)));
                } catch (IllegalArgumentException e) {
                    LOG.warn("Console: {}", e.getMessage());
                }
            }
        }
        beans.put("consoleApi", new io.orderwatch.api.ConsoleApi(new ApiAuth(settings.apiToken()), db, settings.adminUiUrl(adminUrl),
                settings.teamZone(), shifts, clock));
    }
    // ---- end of operator console ------------------------------------------------------------------

    private final List<String> announcements = new java.util.ArrayList<>();

    /** The sinks read their own settings through this. */
    private SinkConfig sinkConfig() {
        return new SinkConfig() {
            @Override
            public String get(String key, String fallback) {
                return settings.get(key, fallback);
            }

            @Override
            public java.time.Duration duration(String key, String fallback) {
                // sinks are wired after Settings' own problems were reported: a bad value stops start-up here
                try {
                    return io.orderwatch.detect.StuckLimits.parseDuration(settings.get(key, fallback), key);
                } catch (IllegalArgumentException e) {
                    throw new StartupProblem(e.getMessage());
                }
            }

            @Override
            public int positiveInt(String key, int fallback) {
                return parseInt(key, String.valueOf(fallback));
            }

            @Override
            public List<String> keys(String prefix) {
                return settings.propertyKeys(prefix);
            }
        };
    }

    private int parseInt(String key, String fallback) {
        String v = settings.get(key, fallback);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new StartupProblem(key + " must be a whole number, got \"" + v + "\"");
        }
    }

    private double parseDouble(String key, String fallback) {
        String v = settings.get(key, fallback);
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new StartupProblem(key + " must be a number, got \"" + v + "\"");
        }
    }

    /**
     * Said once, after start, as one log event: the "up" line with the ports, then where everything is
     * (broker, database, the simulator in demo mode, each sink or its outbox) and how long each start-up
     * step took (broker, database and simulator side by side).
     */
    void announce(long sinceCreateMs) {
        long total = sinceCreateMs + Math.max(0, StartupSteps.launchMs);
        StringBuilder b = new StringBuilder();
        b.append(String.format("orderwatch is up in %s s: events and API on %s:%d, /observe/health and /observe/metrics on %s:%d",
                StartupSteps.seconds(total), settings.httpHost(), settings.httpPort(), settings.managementHost(), settings.managementPort()));
        String nl = System.lineSeparator() + "    ";
        if (settings.demoMode()) {
            b.append(nl).append("DEMO MODE: no ORDERWATCH_ADMIN_URL, polling the built-in admin simulator at ").append(adminUrl)
                    .append(" every ").append(settings.pollSeconds()).append(" s");
        } else {
            b.append(nl).append("Admin API: ").append(io.orderwatch.observe.LogText.mask(adminUrl)).append(" every ")
                    .append(settings.pollSeconds()).append(" s");
        }
        b.append(nl).append("Broker: ").append(brokerWhere);
        b.append(nl).append("Database: ").append(databaseWhere);
        announcements.forEach(a -> b.append(nl).append(a));
        b.append(nl).append("Start-up steps: ").append(steps.describe());
        LOG.info(b.toString());
    }

    Map<String, Object> beans() {
        return beans;
    }

    public String adminUrl() {
        return adminUrl;
    }

    public Database database() {
        return db;
    }

    public Metrics metrics() {
        return metrics;
    }

    /** The application begins to stop: the sinks' queue intakes stop waiting for messages ({@link QueueBatches#stopTaking}). */
    public void stopTaking() {
        List<QueueBatches> intakes = beans.values().stream().filter(QueueBatches.class::isInstance).map(QueueBatches.class::cast).toList();
        intakes.forEach(QueueBatches::stopTaking);
        intakes.forEach(QueueBatches::awaitTakes); // before Camel counts what is in flight
    }

    public Optional<Object> bean(String name) {
        return Optional.ofNullable(beans.get(name));
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        while (!closeables.isEmpty()) {
            AutoCloseable c = closeables.pop();
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("Closing {} failed: {}", c.getClass().getSimpleName(), io.orderwatch.observe.Problems.oneLine(e));
            }
        }
    }
}
