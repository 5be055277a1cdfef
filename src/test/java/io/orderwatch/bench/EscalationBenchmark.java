package io.orderwatch.bench;

import io.orderwatch.alert.Alert;
import io.orderwatch.alert.AlertBook;
import io.orderwatch.alert.AlertEvent;
import io.orderwatch.alert.AlertState;
import io.orderwatch.alert.MuteCheck;
import io.orderwatch.app.TestApp;
import io.orderwatch.model.Json;
import io.orderwatch.model.Order;
import io.orderwatch.model.Store;
import io.orderwatch.notify.SinkConfig;
import io.orderwatch.notify.tickets.OutboxHelpdesk;
import io.orderwatch.notify.tickets.TicketSettings;
import io.orderwatch.notify.tickets.TicketSink;
import io.orderwatch.source.AdminApiClient;
import io.orderwatch.source.AdminApiSettings;
import io.orderwatch.source.RecordSink;
import io.orderwatch.source.RejectedRecord;
import io.orderwatch.store.AlertStore;
import io.orderwatch.store.Database;
import io.orderwatch.store.DbSettings;
import io.orderwatch.store.DeliveryLedger;
import io.orderwatch.store.JsonColumns;
import io.orderwatch.store.OrderSnapshots;
import io.orderwatch.store.SinkAlerts;
import io.orderwatch.store.StoreDirectory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Benchmark "escalation" (only with {@code mvn -B -Pbench verify}): {@code bench.escalation.alerts}
 * (100,000) firing export failures, each with its order's snapshot and its pharmacy, taken in by the
 * real tickets sink (its view and a watch row per alert, rule export-failed: a ticket after 1 h), in the
 * embedded H2 file database. Then the clock moves on 2 h and {@code escalateDue} (what
 * routes/escalate-tickets runs every 5 s) re-evaluates all of them: lock the watch, read the alert and
 * the rule, the order and the pharmacy, fill the template's facts, enqueue the ticket in the ledger, 500 per
 * run, in one transaction (TicketSink.PAGE). The set-up takes the alerts in a thousand to a transaction. Beside it, in the same database: a plain JDBC scan of the same watch
 * rows by the same index ({@code ticket_watch (state, due_at)}) joined to the sink's view of the alert.
 * Also reported: the cost of a run when none of the 100,000 is due yet (the 5-second tick).
 */
@Tag("bench")
class EscalationBenchmark {

    private static final int ALERTS = Integer.getInteger("bench.escalation.alerts", 100_000);

    /** In the embedded H2 file database, orderwatch's default. */
    @Test
    void escalation() throws Exception {
        Path dir = Path.of("target", "bench", "escalation");
        BenchReport.deleteTree(dir);
        Files.createDirectories(dir);
        try (Database db = Database.open(DbSettings.embedded(dir.resolve("data")))) {
            run("escalation", "H2 file", db, dir, () -> h2FileMB(dir));
        }
    }

    /**
     * In PostgreSQL, as in production: an embedded server of its own with PostgreSQL's default
     * {@code synchronous_commit = on} (the embedded server's test default is off), so that each commit waits
     * for its WAL to be flushed.
     */
    @Test
    void escalationOnPostgres() throws Exception {
        Path dir = Path.of("target", "bench", "escalation-postgres");
        BenchReport.deleteTree(dir);
        Files.createDirectories(dir);
        try (io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                .setServerConfig("synchronous_commit", "on").setDataDirectory(dir.resolve("pgdata")).setCleanDataDirectory(true).start();
             Database db = Database.open(new DbSettings(pg.getJdbcUrl("postgres", "postgres"), "postgres", "", 4))) {
            run("escalation-postgres", "PostgreSQL", db, dir, () -> db.read(c -> {
                try (var rs = c.createStatement().executeQuery("SELECT pg_database_size(current_database())")) {
                    rs.next();
                    return rs.getLong(1) / (1024 * 1024);
                }
            }));
        }
    }

    private interface Size {
        long mb() throws Exception;
    }

    private static void run(String name, String dbName, Database db, Path dir, Size size) throws Exception {
        double load = BenchReport.loadAverage();
        Instant start = Instant.now();
        AtomicReference<Instant> now = new AtomicReference<>(start);
        Clock clock = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        {
            OffsetDateTime storeSeen = OffsetDateTime.ofInstant(start, ZoneOffset.UTC).minusDays(1);
            Map<String, Store> stores = new HashMap<>();
            DetectionBenchmark.stores().forEach((id, st) -> stores.put(id, new Store(st.id(), st.name(), st.chainId(), st.chainName(),
                    st.address(), st.city(), st.region(), st.timezone(), st.openingHours(), st.phone(), st.lat(), st.lon(), st.status(), storeSeen, storeSeen)));
            StoreDirectory directory = new StoreDirectory(db);
            db.inTransaction(c -> {
                for (Store s : stores.values()) {
                    directory.save(c, s);
                }
                return null;
            });
            OffsetDateTime started = OffsetDateTime.ofInstant(start, ZoneOffset.UTC).minusMinutes(10);
            OrderSnapshots snapshots = new OrderSnapshots(db.dialect());
            AlertBook book = new AlertBook(db, new AlertStore(db.dialect()), MuteCheck.NONE, clock);
            TicketSettings settings = TicketSettings.from(config(), Path.of("config", "templates", "tickets"));
            TicketSink sink = new TicketSink(db, new SinkAlerts(db, TicketSink.SINK), new DeliveryLedger(), book, settings,
                    new OutboxHelpdesk(dir.resolve("outbox")), (id, seen) -> Optional.of("EXPORTED"), ZoneId.of("Europe/Moscow"),
                    "https://arm.example.org", clock);
            // a thousand at a time (the heap is capped at 256 MB): their snapshots, then the sink takes their alerts in
            long intakeNanos = 0;
            for (int from = 0; from < ALERTS; from += 1000) {
                List<Order> batch = orders(from, Math.min(ALERTS, from + 1000), started);
                db.inTransaction(c -> {
                    for (Order o : batch) {
                        snapshots.save(c, o, started);
                    }
                    return null;
                });
                List<String> events = new ArrayList<>();
                for (Order o : batch) {
                    events.add(event(o, stores.get(o.storeId()), started));
                }
                long t0 = System.nanoTime();
                assertEquals(batch.size(), sink.acceptAll(events)); // one transaction per thousand: set-up, not what is measured
                intakeNanos += System.nanoTime() - t0;
            }
            double intakeSeconds = intakeNanos / 1e9;
            assertEquals(ALERTS, TestApp.count(db, "SELECT COUNT(*) FROM ticket_watch WHERE state = 'WAITING'"));

            // the 5-second tick while nothing is due yet
            List<Double> ticks = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                long t0 = System.nanoTime();
                assertEquals(0, sink.escalateDue());
                ticks.add((System.nanoTime() - t0) / 1e6);
            }

            now.set(start.plus(Duration.ofHours(2)));
            OffsetDateTime due = OffsetDateTime.ofInstant(now.get(), ZoneOffset.UTC);
            List<Double> scans = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                long t0 = System.nanoTime();
                assertEquals(ALERTS, scan(db, due));
                scans.add(ALERTS / ((System.nanoTime() - t0) / 1e9));
            }
            double baseline = DetectionBenchmark.median(scans);

            long t0 = System.nanoTime();
            long evaluated = 0;
            int n;
            while ((n = sink.escalateDue()) > 0) {
                evaluated += n;
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double rate = evaluated / seconds;
            assertEquals(ALERTS, evaluated);
            long opened = TestApp.count(db, "SELECT COUNT(*) FROM ticket_watch WHERE state = 'OPENED'");
            assertEquals(ALERTS, opened, "every alert's ticket is in the ledger");

            long mb = size.mb();
            Map<String, Object> s = BenchReport.scenario(name, Math.round(rate), "firing alerts escalated/s (escalateDue, all due, " + dbName + ")",
                    Math.round(baseline), rate / baseline, 0.5);
            s.put("baselineIs", "plain JDBC scan of the same watch rows by ticket_watch (state, due_at), joined to the sink's view of the alert (median of 3)");
            s.put("alerts", ALERTS);
            s.put("seconds", Math.round(seconds * 100) / 100.0);
            s.put("tickNothingDueMs", Math.round(DetectionBenchmark.median(ticks) * 100) / 100.0);
            s.put("intakeSeconds", Math.round(intakeSeconds * 100) / 100.0);
            s.put("loadAverage", load);
            s.put("database", dbName);
            s.put("databaseMB", mb);
            s.put("met", rate / baseline >= 0.5);
            String text = String.format(Locale.ROOT, "| scenario | escalated/s (all due) | baseline: indexed scan of the same rows | ratio | target | a run with none due |%n"
                            + "|---|---|---|---|---|---|%n| %s (%,d firing export failures, %s %,d MB) | %,.0f (%.1f s) | %,.0f rows/s | %.3f | >= 0.5%s | %.2f ms |%n",
                    name, ALERTS, dbName, mb, rate, seconds, baseline, rate / baseline, rate / baseline >= 0.5 ? "" : " (missed)", DetectionBenchmark.median(ticks));
            BenchReport.write(Path.of("target", "bench"), s, text);
        }
    }

    /** The size of the H2 files under the bench's directory, in MB. */
    private static long h2FileMB(Path dir) throws java.io.IOException {
        try (var files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".db")).mapToLong(f -> f.toFile().length()).sum() / (1024 * 1024);
        }
    }

    /** Every due watch with its alert as the sink saw it: the rows escalation reads, by the same index. */
    private static long scan(Database db, OffsetDateTime due) {
        return db.read(c -> {
            long rows = 0;
            try (var ps = c.prepareStatement("SELECT w.fingerprint, w.rule, w.order_id, w.due_at, w.state, v.* FROM ticket_watch w "
                    + "JOIN sink_alert v ON v.sink = 'tickets' AND v.fingerprint = w.fingerprint "
                    + "WHERE w.state IN ('WAITING', 'INCOMPLETE') AND w.due_at <= ? ORDER BY w.due_at")) {
                JsonColumns.setTime(ps, 1, due);
                try (var rs = ps.executeQuery()) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= columns; i++) {
                            rs.getObject(i);
                        }
                        rows++;
                    }
                }
            }
            return rows;
        });
    }

    static List<Order> orders(int from, int to, OffsetDateTime updated) throws Exception {
        StringBuilder page = new StringBuilder("{\"items\":[");
        for (int i = from; i < to; i++) {
            if (i > from) {
                page.append(',');
            }
            // pharmacies st-1.. that are open (every 97th is closed: a closed one would be another kind)
            int store = 1 + i % 1900;
            if (store % 97 == 0) {
                store++;
            }
            page.append(PipelineBenchmark.exportFailed(String.valueOf(48_000_000 + i), "st-" + store, updated));
        }
        page.append("],\"nextCursor\":null}");
        AdminApiClient parser = new AdminApiClient(new AdminApiSettings(URI.create("http://bench.invalid"), null,
                Duration.ofSeconds(1), Duration.ofSeconds(1), 1000, 1, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1)));
        List<Order> out = new ArrayList<>();
        parser.parseOrdersPage(new ByteArrayInputStream(page.toString().getBytes(StandardCharsets.UTF_8)), new RecordSink<>() {
            @Override
            public void accept(Order order) {
                out.add(order);
            }

            @Override
            public void reject(RejectedRecord r) {
                throw new AssertionError("generated order rejected: " + r.reason());
            }
        });
        return out;
    }

    static String event(Order o, Store store, OffsetDateTime started) throws Exception {
        Map<String, Object> d = new HashMap<>();
        d.put("system", "SBIS");
        d.put("attempts", 3);
        d.put("error", "TIMEOUT: no response from pharmacy system in 30 s");
        d.put("storeName", store.name());
        d.put("chainName", store.chainName());
        Alert a = new Alert("EXPORT_FAILED:" + o.id(), "EXPORT_FAILED", AlertState.FIRING, false, o.id(), store.id(), store.chainId(),
                "Москва", started, started, started, null, d);
        return Json.mapper().writeValueAsString(new AlertEvent(a.fingerprint() + "#1:FIRING", a, started));
    }

    /** orderwatch.tickets.* of config/application.properties (the team's rules), defaults elsewhere. */
    static SinkConfig config() throws Exception {
        Properties p = new Properties();
        try (var r = Files.newBufferedReader(Path.of("config", "application.properties"))) {
            p.load(r);
        }
        return new SinkConfig() {
            @Override
            public String get(String key, String fallback) {
                String v = key.startsWith("orderwatch.tickets.") ? p.getProperty(key) : null;
                return v == null ? fallback : v;
            }

            @Override
            public Duration duration(String key, String fallback) {
                return io.orderwatch.detect.StuckLimits.parseDuration(get(key, fallback), key);
            }

            @Override
            public int positiveInt(String key, int fallback) {
                return Integer.parseInt(get(key, String.valueOf(fallback)));
            }

            @Override
            public List<String> keys(String prefix) {
                return p.stringPropertyNames().stream().filter(k -> k.startsWith(prefix) && k.startsWith("orderwatch.tickets.")).sorted().toList();
            }
        };
    }
}
