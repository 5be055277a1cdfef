package io.orderwatch.bench;

import io.orderwatch.alert.Alert;
import io.orderwatch.alert.AlertBook;
import io.orderwatch.alert.AlertEvent;
import io.orderwatch.alert.AlertState;
import io.orderwatch.alert.MuteCheck;
import io.orderwatch.app.TestApp;
import io.orderwatch.broker.BrokerSettings;
import io.orderwatch.broker.EmbeddedBroker;
import io.orderwatch.broker.JmsConnections;
import io.orderwatch.model.Json;
import io.orderwatch.notify.delivery.DeliveryDispatcher;
import io.orderwatch.notify.delivery.DeliveryFailedAlarm;
import io.orderwatch.notify.delivery.RetryPolicy;
import io.orderwatch.notify.slack.SdkSlackApi;
import io.orderwatch.notify.slack.SlackMessages;
import io.orderwatch.notify.slack.SlackSettings;
import io.orderwatch.notify.slack.SlackSink;
import io.orderwatch.notify.slack.SlackStub;
import io.orderwatch.observe.Metrics;
import io.orderwatch.store.AlertStore;
import io.orderwatch.store.Database;
import io.orderwatch.store.DeliveryLedger;
import io.orderwatch.store.SinkAlerts;
import io.orderwatch.store.TestDatabases;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Queue;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Benchmark "storm" (runs only with {@code mvn -B -Pbench verify}): 10,000 export failures across 50
 * pharmacies of 5 chains, then 30 % of them resolved, through the real Slack sink (intake, ledger,
 * delivery core, the SDK's MethodsClient) to the Slack stub at Slack's own pace. Reports posts,
 * updates and thread replies beside the floor (one post per chain and kind per window), the time to
 * drain, and the sink's CPU time per alert beside the embedded broker's raw send+receive of the same
 * messages, measured in the same run.
 */
@Tag("bench")
class StormBenchmark {

    private static final int ALERTS = Integer.getInteger("bench.storm.alerts", 10_000);
    private static final int CHAINS = 5;
    private static final int PHARMACIES = 50;
    private static final double RESOLVED = 0.3;

    @Test
    void storm() throws Exception {
        List<String> events = events();
        Path tmp = Files.createTempDirectory("storm-bench");
        double brokerCpuPerMessage = brokerBaseline(tmp, events);

        try (Database db = TestDatabases.h2(); SlackStub slack = new SlackStub()) {
            Clock clock = Clock.systemUTC();
            AlertBook book = new AlertBook(db, new AlertStore(db.dialect()), MuteCheck.NONE, clock);
            DeliveryLedger ledger = new DeliveryLedger();
            SlackSettings defaults = SlackSettings.from(new io.orderwatch.notify.SinkConfig() {
                @Override
                public String get(String key, String fallback) {
                    return fallback;
                }

                @Override
                public Duration duration(String key, String fallback) {
                    return io.orderwatch.detect.StuckLimits.parseDuration(fallback, key);
                }

                @Override
                public int positiveInt(String key, int fallback) {
                    return fallback;
                }

                @Override
                public List<String> keys(String prefix) {
                    return List.of();
                }
            });
            // Slack's pace as configured by default: one post a second, one update per 2 s, per channel
            SlackSettings settings = new SlackSettings("xoxb-test-token", slack.url(), defaults.routing(), defaults.groupWindow(),
                    defaults.maxLines(), defaults.postPace(), defaults.updatePace(), defaults.timeout(), defaults.workers(), "");
            SlackSink sink = new SlackSink(db, new SinkAlerts(db, SlackSink.SINK), ledger, settings,
                    new SlackMessages("https://arm.example.org", ZoneId.of("Europe/Moscow"), settings.maxLines(), ""),
                    new SdkSlackApi(settings.apiUrl(), settings.token(), settings.timeout()), clock);
            try (DeliveryDispatcher dispatcher = new DeliveryDispatcher(db, ledger, new RetryPolicy(Duration.ofSeconds(2), Duration.ofMinutes(10),
                    Duration.ofHours(24)), Duration.ofMinutes(2), new DeliveryFailedAlarm(book, clock), Metrics.inMemory(), clock)) {
                dispatcher.register(SlackSink.SINK, sink, settings.workers());
                long cpu0 = processCpu();
                long wall0 = System.nanoTime();
                // the dispatcher runs as the dispatch-deliveries route would, while the storm comes in
                Thread tick = new Thread(() -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        dispatcher.dispatch();
                        try {
                            Thread.sleep(250); // the route's timer period
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                tick.start();
                for (String e : events) {
                    sink.accept(e);
                }
                long intakeNanos = System.nanoTime() - wall0;
                await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(100)).until(() ->
                        TestApp.count(db, "SELECT COUNT(*) FROM delivery WHERE state IN ('PENDING', 'SENDING')") == 0);
                long drainNanos = System.nanoTime() - wall0;
                tick.interrupt();
                tick.join();
                long cpu = processCpu() - cpu0;

                List<SlackStub.Call> calls = slack.calls();
                long posts = calls.stream().filter(c -> c.method().equals("chat.postMessage") && c.params().get("thread_ts") == null).count();
                long replies = calls.stream().filter(c -> c.method().equals("chat.postMessage") && c.params().get("thread_ts") != null).count();
                long updates = calls.stream().filter(c -> c.method().equals("chat.update")).count();
                long floor = CHAINS; // one kind, one window: one post per chain
                double sinkCpuPerAlert = (double) cpu / events.size();
                assertEquals(ALERTS, TestApp.count(db, "SELECT COUNT(DISTINCT fingerprint) FROM delivery_alert WHERE delivery_id IN "
                        + "(SELECT id FROM delivery WHERE operation = 'post')"), "every order is in the ledger under its message");

                // value: the sink's CPU per alert; baseline: the broker's raw send+receive CPU per message;
                // ratio as a speed (baseline cost over ours: above 1 the sink costs less than the broker's own handling)
                Map<String, Object> scenario = BenchReport.scenario("storm", round(sinkCpuPerAlert / 1000), "µs CPU per alert",
                        round(brokerCpuPerMessage / 1000), brokerCpuPerMessage / sinkCpuPerAlert, "posts <= floor + 10 %, ratio >= 0.5");
                scenario.put("alerts", ALERTS);
                scenario.put("resolved", Math.round(ALERTS * RESOLVED));
                scenario.put("chains", CHAINS);
                scenario.put("pharmacies", PHARMACIES);
                scenario.put("posts", posts);
                scenario.put("floor", floor);
                scenario.put("postsTarget", "<= floor + 10 %");
                scenario.put("updates", updates);
                scenario.put("threadReplies", replies);
                scenario.put("intakeSeconds", round(intakeNanos / 1e9));
                scenario.put("drainSeconds", round(drainNanos / 1e9));
                scenario.put("sinkCpuMicrosPerAlert", round(sinkCpuPerAlert / 1000));
                scenario.put("brokerSendReceiveCpuMicrosPerMessage", round(brokerCpuPerMessage / 1000));
                String text = String.format(Locale.ROOT, "| scenario | posts (floor) | updates | thread replies | drain at Slack's pace | sink CPU per alert | broker send+receive CPU per message | ratio (broker / sink) |%n"
                                + "|---|---|---|---|---|---|---|---|%n| storm (%,d export failures, %d chains, %d pharmacies, %d %% resolved) | %d (%d) | %d | %d | %.1f s | %.0f µs | %.0f µs | %.2f |%n",
                        ALERTS, CHAINS, PHARMACIES, Math.round(RESOLVED * 100), posts, floor, updates, replies, drainNanos / 1e9,
                        sinkCpuPerAlert / 1000, brokerCpuPerMessage / 1000, brokerCpuPerMessage / sinkCpuPerAlert);
                BenchReport.write(Path.of("target", "bench"), scenario, text);
            }
        }
    }

    /** The same messages sent to and received from a durable queue of the embedded broker: process CPU per message. */
    private static double brokerBaseline(Path tmp, List<String> events) throws Exception {
        BrokerSettings bs = new BrokerSettings(null, null, null, io.orderwatch.app.TestPorts.free(), "127.0.0.1", tmp, Duration.ofSeconds(1),
                2.0, Duration.ofMinutes(1), 10, 100);
        try (EmbeddedBroker broker = new EmbeddedBroker(bs, Path.of("config", "broker.xml"))) {
            broker.start();
            try (JmsConnections jms = new JmsConnections(bs, broker); JMSContext ctx = jms.connectionFactory().createContext(JMSContext.SESSION_TRANSACTED)) {
                Queue q = ctx.createQueue("orders.events");
                long cpu0 = processCpu();
                var producer = ctx.createProducer();
                for (String e : events) {
                    producer.send(q, e);
                    ctx.commit();
                }
                try (JMSConsumer consumer = ctx.createConsumer(q)) {
                    for (int i = 0; i < events.size(); i++) {
                        if (consumer.receive(10_000) == null) {
                            throw new IllegalStateException("the broker lost a message");
                        }
                        ctx.commit();
                    }
                }
                return (double) (processCpu() - cpu0) / events.size();
            }
        }
    }

    /** 10,000 FIRING export failures, 200 per pharmacy, then 30 % of them RESOLVED. */
    private static List<String> events() throws Exception {
        OffsetDateTime t0 = OffsetDateTime.now().minusMinutes(5);
        List<String> out = new ArrayList<>();
        List<Alert> firing = new ArrayList<>();
        for (int i = 0; i < ALERTS; i++) {
            int pharmacy = i % PHARMACIES;
            String chain = "ch-" + pharmacy % CHAINS;
            Map<String, Object> d = new HashMap<>();
            d.put("system", "SBIS");
            d.put("attempts", 3);
            d.put("error", "TIMEOUT: нет ответа от СБИС за 30 с");
            d.put("storeName", "Аптека " + pharmacy);
            d.put("chainName", "Сеть " + pharmacy % CHAINS);
            String id = String.valueOf(40_000_000 + i);
            Alert a = new Alert("EXPORT_FAILED:" + id, "EXPORT_FAILED", AlertState.FIRING, false, id, "st-" + pharmacy, chain, "Москва",
                    t0, t0, t0, null, d);
            firing.add(a);
            out.add(Json.mapper().writeValueAsString(new AlertEvent(a.fingerprint() + "#1:FIRING", a, t0)));
        }
        for (int i = 0; i < ALERTS * RESOLVED; i++) {
            Alert a = firing.get(i * 3 % ALERTS);
            Alert r = new Alert(a.fingerprint(), a.kind(), AlertState.RESOLVED, false, a.orderId(), a.storeId(), a.chainId(), a.region(),
                    a.startedAt(), a.firstSeenAt(), a.lastSeenAt(), t0.plusMinutes(3), a.details());
            out.add(Json.mapper().writeValueAsString(new AlertEvent(r.fingerprint() + "#2:RESOLVED", r, t0)));
        }
        return out;
    }

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
