package io.orderwatch.bench;

import io.orderwatch.app.Orderwatch;
import io.orderwatch.app.TestApp;
import io.orderwatch.app.TestPorts;
import io.orderwatch.broker.BrokerSettings;
import io.orderwatch.broker.EmbeddedBroker;
import io.orderwatch.broker.JmsConnections;
import io.orderwatch.notify.slack.SlackStub;
import io.orderwatch.notify.tickets.HelpdeskStub;
import io.orderwatch.store.Database;
import io.orderwatch.testing.AdminStub;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Queue;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Benchmark "pipeline" (only with {@code mvn -B -Pbench verify}): the whole application, in process,
 * against an admin-API stub holding {@code bench.pipeline.alerts} (500) orders whose export failed, each in a
 * pharmacy of its own chain (so that no two share a Slack message), three hours old (so that each is
 * due a helpdesk ticket at once). Timed from the first alert written to the alert book to the last
 * delivery sent: through the outbox, the persistent embedded broker (one durable queue per sink), the
 * Slack and tickets sinks' views and ledger, the delivery core, to the Slack stub (through the SDK)
 * and the reference helpdesk stub. The pace of Slack and of the helpdesk is set to 0 for the bench
 * (at the configured one post a second per channel the pace alone would be the figure). Beside it, in
 * the same run: the same embedded broker's raw persistent send (one transaction each) and receive of
 * as many messages of the same size.
 */
@Tag("bench")
class PipelineBenchmark {

    private static final int ALERTS = Integer.getInteger("bench.pipeline.alerts", 500);

    @Test
    void pipeline() throws Exception {
        Path dir = Path.of("target", "bench", "pipeline");
        BenchReport.deleteTree(dir);
        Files.createDirectories(dir);
        double load = BenchReport.loadAverage();
        OffsetDateTime t0 = OffsetDateTime.now().minusHours(3);
        try (AdminStub admin = new AdminStub(); SlackStub slack = new SlackStub(); HelpdeskStub helpdesk = new HelpdeskStub("hd-secret")) {
            for (int i = 0; i < ALERTS; i++) {
                admin.store("st-" + i, "ch-" + i, "Сеть " + i, "ACTIVE", t0);
                String id = String.valueOf(48_000_000 + i);
                admin.orderJson(id, t0.plusSeconds(i % 60), exportFailed(id, "st-" + i, t0.plusSeconds(i % 60)));
            }
            Properties p = TestApp.configuredOverrides(dir.resolve("data"), admin.baseUrl());
            p.setProperty("orderwatch.admin.page-size", "1000");
            // the production cadence (config/application.properties), not the tests' re-poll every second: a
            // poll re-reads and re-judges every order in its overlap window, work the alerts' way to the peers does not include
            p.setProperty("orderwatch.poll.seconds", "60");
            p.setProperty("orderwatch.stuck.reevaluate-seconds", "60");
            p.setProperty("orderwatch.slack.token", "xoxb-test-token");
            p.setProperty("orderwatch.slack.api-url", slack.url());
            p.setProperty("orderwatch.slack.post-pace", "0s");
            p.setProperty("orderwatch.slack.update-pace", "0s");
            p.setProperty("orderwatch.helpdesk.kind", "reference");
            p.setProperty("orderwatch.helpdesk.url", helpdesk.url());
            p.setProperty("orderwatch.helpdesk.token", "hd-secret");
            p.setProperty("orderwatch.tickets.pace", "0s");
            Orderwatch ow = Orderwatch.create(Path.of("."), Map.of(), p);
            try {
                ow.start();
                long cpu0 = processCpuNanos();
                Database db = ow.wiring().database();
                await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(200)).until(() ->
                        TestApp.count(db, "SELECT COUNT(*) FROM delivery WHERE sink = 'tickets' AND state = 'SENT'") >= 2L * ALERTS
                                && TestApp.count(db, "SELECT COUNT(*) FROM delivery WHERE state IN ('PENDING', 'SENDING')") == 0);
                double cpuSeconds = (processCpuNanos() - cpu0) / 1e9;
                // each order is two alerts: its export failed, and it is stuck in EXPORTED past twice its limit
                long alerts = TestApp.count(db, "SELECT COUNT(*) FROM alert");
                assertEquals(2L * ALERTS, alerts);
                assertEquals(ALERTS, slack.calls("chat.postMessage").stream().filter(c -> c.params().get("thread_ts") == null).count(),
                        "one post per export failure (stuck orders are e-mail's)");
                assertEquals(alerts, helpdesk.tickets().size(), "one ticket per alert");
                long deliveries = TestApp.count(db, "SELECT COUNT(*) FROM delivery WHERE sink IN ('slack', 'tickets') AND state = 'SENT'");
                double seconds = db.read(c -> {
                    try (var ps = c.prepareStatement("SELECT (SELECT MIN(first_seen_at) FROM alert), (SELECT MAX(sent_at) FROM delivery)");
                         var rs = ps.executeQuery()) {
                        rs.next();
                        return Duration.between(rs.getObject(1, OffsetDateTime.class), rs.getObject(2, OffsetDateTime.class)).toMillis() / 1000.0;
                    }
                });
                // when each stage ended, in seconds after the first alert: the alert book, and each sink's last delivery
                Map<String, Double> stages = db.read(c -> {
                    Map<String, Double> out = new java.util.LinkedHashMap<>();
                    try (var ps = c.prepareStatement("SELECT 'alertBook', MAX(first_seen_at) FROM alert UNION ALL "
                            + "SELECT sink, MAX(sent_at) FROM delivery WHERE sink IN ('slack', 'tickets') GROUP BY sink");
                         var first = c.prepareStatement("SELECT MIN(first_seen_at) FROM alert"); var f = first.executeQuery(); var rs = ps.executeQuery()) {
                        f.next();
                        OffsetDateTime from = f.getObject(1, OffsetDateTime.class);
                        while (rs.next()) {
                            out.put(rs.getString(1), Duration.between(from, rs.getObject(2, OffsetDateTime.class)).toMillis() / 1000.0);
                        }
                    }
                    return out;
                });
                int size = db.read(c -> {
                    try (var ps = c.prepareStatement("SELECT payload FROM alert_event FETCH FIRST 1 ROWS ONLY"); var rs = ps.executeQuery()) {
                        return rs.next() && rs.getString(1) != null ? rs.getString(1).getBytes(java.nio.charset.StandardCharsets.UTF_8).length : 1500;
                    }
                });
                ow.stop();
                ow = null;
                double rate = alerts / seconds;
                double baseline = brokerRate(dir.resolve("broker"), size, alerts);
                Map<String, Object> s = BenchReport.scenario("pipeline", Math.round(rate), "alerts/s (alert book to Slack and helpdesk stubs)",
                        Math.round(baseline), rate / baseline, 0.5);
                s.put("baselineIs", "embedded Artemis, persistent send (one transaction each) + receive of as many messages of the same size");
                s.put("orders", ALERTS);
                s.put("alerts", alerts);
                s.put("deliveries", deliveries);
                s.put("messageBytes", size);
                s.put("seconds", seconds);
                s.put("stagesEndSeconds", stages);
                s.put("cpuSeconds", Math.round(cpuSeconds * 10) / 10.0);
                s.put("cpuSecondsAre", "this JVM's CPU (orderwatch and the three stubs) from start-up to the last delivery");
                s.put("adminOrderReads", admin.ordersServed().size());
                s.put("poll", "every 60 s and stuck orders re-judged every 60 s (the production defaults)");
                s.put("pace", "Slack post/update pace and helpdesk pace 0 for the bench (defaults 1 s, 2 s, 1 s)");
                s.put("loadAverage", load);
                String text = String.format(Locale.ROOT, "| scenario | alerts/s, alert book to both stubs | baseline: raw Artemis persistent send+receive | ratio | target |%n"
                                + "|---|---|---|---|---|%n| pipeline (%,d orders: %,d alerts, %,d Slack calls and tickets; %d-byte messages) | %,.0f (%.1f s) | %,.0f msg/s | %.2f | >= 0.5 |%n",
                        ALERTS, alerts, deliveries, size, rate, seconds, baseline, rate / baseline);
                BenchReport.write(Path.of("target", "bench"), s, text);
            } finally {
                if (ow != null) {
                    ow.stop();
                }
            }
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Messages of {@code size} bytes sent persistently, one transaction each, then received, one transaction each: messages per second. */
    private static double brokerRate(Path tmp, int size, long messages) throws Exception {
        BrokerSettings bs = new BrokerSettings(null, null, null, TestPorts.free(), "127.0.0.1", tmp, Duration.ofSeconds(1),
                2.0, Duration.ofMinutes(1), 10, 100);
        String body = "x".repeat(size);
        try (EmbeddedBroker broker = new EmbeddedBroker(bs, Path.of("config", "broker.xml"))) {
            broker.start();
            try (JmsConnections jms = new JmsConnections(bs, broker); JMSContext ctx = jms.connectionFactory().createContext(JMSContext.SESSION_TRANSACTED)) {
                Queue q = ctx.createQueue("orders.events");
                var producer = ctx.createProducer();
                long t0 = System.nanoTime();
                for (int i = 0; i < messages; i++) {
                    producer.send(q, body);
                    ctx.commit();
                }
                try (JMSConsumer consumer = ctx.createConsumer(q)) {
                    for (int i = 0; i < messages; i++) {
                        if (consumer.receive(10_000) == null) {
                            throw new IllegalStateException("the broker lost a message");
                        }
                        ctx.commit();
                    }
                }
                return messages / ((System.nanoTime() - t0) / 1e9);
            }
        }
    }

    /** An open pickup order whose export failed, with every fact a ticket needs. */
    static String exportFailed(String id, String storeId, OffsetDateTime updatedAt) {
        OffsetDateTime created = updatedAt.minusMinutes(20);
        return "{\"id\":\"" + id + "\",\"invoiceNumber\":\"ЛО-2611-" + id + "\",\"source\":\"app\",\"createdAt\":\"" + created
                + "\",\"updatedAt\":\"" + updatedAt + "\",\"status\":\"EXPORTED\",\"statusChangedAt\":\"" + created.plusMinutes(1)
                + "\",\"deliveryType\":\"PICKUP\",\"plannedDeliveryAt\":null,\"storeId\":\"" + storeId + "\",\"region\":\"Москва\",\"city\":\"Москва\","
                + "\"customer\":{\"name\":\"Анна Смирнова\",\"phone\":\"+79806561461\",\"email\":\"anna@example.org\"},\"amount\":412.0,"
                + "\"items\":[{\"lineId\":\"1\",\"productId\":\"p-1\",\"name\":\"Нурофен\",\"quantity\":1,\"price\":412.0,\"storeSku\":\"S-1\",\"linkError\":null}],"
                + "\"export\":{\"state\":\"FAILED\",\"system\":\"SBIS\",\"attempts\":3,\"lastAttemptAt\":\"" + created.plusMinutes(5)
                + "\",\"error\":{\"code\":\"TIMEOUT\",\"message\":\"no response from pharmacy system in 30 s\"}},\"courier\":null}";
    }
}
