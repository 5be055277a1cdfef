package io.orderwatch.integrator;

import com.sun.net.httpserver.HttpServer;
import io.orderwatch.alert.AlertBook;
import io.orderwatch.alert.MuteCheck;
import io.orderwatch.alert.RaisedFindings;
import io.orderwatch.app.TestApp;
import io.orderwatch.app.TestPorts;
import io.orderwatch.broker.BrokerSettings;
import io.orderwatch.broker.EmbeddedBroker;
import io.orderwatch.broker.JmsConnections;
import io.orderwatch.demo.LegacyDialect;
import io.orderwatch.detect.OrderEvaluator;
import io.orderwatch.detect.StuckLimits;
import io.orderwatch.detect.StuckOrderDetector;
import io.orderwatch.model.Json;
import io.orderwatch.observe.Metrics;
import io.orderwatch.source.EventProcessor;
import io.orderwatch.source.JsonMapping;
import io.orderwatch.source.SourceWatermarks;
import io.orderwatch.store.AlertStore;
import io.orderwatch.store.Database;
import io.orderwatch.store.OrderSnapshots;
import io.orderwatch.store.ProcessedEvents;
import io.orderwatch.store.Quarantine;
import io.orderwatch.store.StoreDirectory;
import io.orderwatch.store.TestDatabases;
import io.orderwatch.store.Watermarks;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The example source, as an integrator would test theirs (README "Testing a route"): the YAML route
 * routes/poll-foreign-orders with its real peers (consume-order-events over an embedded broker, the
 * database, the mapping file config/mappings/foreign-orders.jslt), against a JDK HttpServer stub of the
 * foreign API in the legacy dialect. A stuck order in that dialect raises STUCK_ORDER, a malformed one
 * is quarantined with the field named, the watermark comes back on the next walk, and, with the
 * example check subscribed to the feed, an overpriced line raises PRICE_SPIKE.
 */
class PollForeignOrdersRouteTest extends CamelMainTestSupport {

    private static Path dir;
    private static EmbeddedBroker broker;
    private static JmsConnections jms;
    private Database db;
    private AlertBook book;
    /** The records the stub serves, in the legacy dialect, in updatedAt order. */
    private static final List<Map<String, Object>> records = new CopyOnWriteArrayList<>();
    /** The changed_from of every request the stub got. */
    private static final List<String> asked = new CopyOnWriteArrayList<>();
    /** The foreign API: started before the test's Camel reads its properties (in the constructor). */
    private static final HttpServer foreign = foreignApi();

    @Override
    protected void doPreSetup() throws Exception {
        if (broker == null) {
            dir = Files.createTempDirectory("foreign-orders");
            BrokerSettings settings = new BrokerSettings("", null, null, TestPorts.free(), "127.0.0.1", dir,
                    Duration.ofMillis(50), 1.0, Duration.ofMillis(50), 3, 100);
            broker = new EmbeddedBroker(settings, Path.of("config", "broker.xml"));
            broker.start();
            jms = new JmsConnections(settings, broker);
        }
        db = TestDatabases.h2();
        book = new AlertBook(db, new AlertStore(db.dialect()), MuteCheck.NONE, Clock.systemUTC());
    }

    private static HttpServer foreignApi() {
        HttpServer foreign;
        try {
            foreign = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        foreign.createContext("/legacy/orders", ex -> {
            Map<String, String> q = new LinkedHashMap<>();
            for (String pair : ex.getRequestURI().getRawQuery().split("&")) {
                String[] kv = pair.split("=", 2);
                q.put(kv[0], kv.length > 1 ? java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
            asked.add(q.get("changed_from"));
            int page = Integer.parseInt(q.get("page"));
            int perPage = Integer.parseInt(q.get("per_page"));
            List<Map<String, Object>> slice = new ArrayList<>();
            for (int i = (page - 1) * perPage; i < Math.min(records.size(), page * perPage); i++) {
                slice.add(records.get(i));
            }
            byte[] body = Json.mapper().writeValueAsBytes(Map.of("page", page,
                    "pages", Math.max(1, (records.size() + perPage - 1) / perPage), "orders", slice));
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        foreign.start();
        return foreign;
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (jms != null) {
            jms.close();
        }
        if (broker != null) {
            broker.close();
        }
        foreign.stop(0);
    }

    /** The routes under test and their peers, straight from routes/, as orderwatch loads them. */
    @Override
    protected void configure(MainConfigurationProperties configuration) {
        configuration.withRoutesIncludePattern(String.join(",",
                "file:routes/error-handling.camel.yaml",
                "file:routes/poll-foreign-orders.camel.yaml",
                "file:routes/consume-order-events.camel.yaml",
                "file:routes/check-price-spike.camel.yaml",
                "file:routes/raise-finding.camel.yaml"));
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties p = new Properties();
        p.setProperty("orderwatch.example.foreign.enabled", "true");
        p.setProperty("orderwatch.example.foreign.url", "http://127.0.0.1:" + foreign.getAddress().getPort() + "/legacy");
        p.setProperty("orderwatch.example.foreign.token", "");
        p.setProperty("orderwatch.example.foreign.per-page", "2");
        p.setProperty("orderwatch.example.foreign.poll-ms", "1000");
        p.setProperty("orderwatch.order-feed.subscribers", "direct:check-price-spike");
        p.setProperty("orderwatch.broker.max-delivery-attempts", "3");
        return p;
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        JmsComponent component = new JmsComponent();
        component.setConnectionFactory(jms.connectionFactory());
        context.addComponent("jms", component);
        return context;
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        Metrics metrics = Metrics.inMemory();
        StuckLimits limits = StuckLimits.fromSettings(Map.of("limit.NEW", "30m"));
        OrderEvaluator evaluator = new OrderEvaluator(db, new OrderSnapshots(db.dialect()), new StoreDirectory(db), book,
                List.of(new StuckOrderDetector(limits)), metrics, Clock.systemUTC());
        registry.bind("eventProcessor", new EventProcessor(db, new ProcessedEvents(), evaluator, new AlertStore(db.dialect()),
                new Quarantine(db), metrics, Clock.systemUTC()));
        registry.bind("mapping", new JsonMapping(Path.of("config", "mappings"), Json.mapper()));
        registry.bind("sourceWatermarks", new SourceWatermarks(new Watermarks(db), Clock.systemUTC()));
        registry.bind("raisedFindings", new RaisedFindings(db, book, metrics, Clock.systemUTC()));
    }

    /** An order in the legacy dialect, as the stub serves it. */
    static Map<String, Object> legacyOrder(long id, String status, OffsetDateTime since, OffsetDateTime updated, String price) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("LINE", 1);
        line.put("PRODUCT", "p-100");
        line.put("NAME", "Нурофен таб. 200 мг №20");
        line.put("QTY", 1);
        line.put("PRICE", price);
        line.put("PHARMACY_SKU", "sku-100");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ORDER_ID", id);
        m.put("ACCOUNT_NUMBER", "ЛО-" + id);
        if (status != null) {
            m.put("STATUS", status);
        }
        m.put("DATE_INSERT", LegacyDialect.time(since));
        m.put("DATE_UPDATE", LegacyDialect.time(updated));
        m.put("DATE_STATUS", LegacyDialect.time(since));
        m.put("DELIVERY", "pickup");
        m.put("PHARMACY", Map.of("ID", "st-1", "REGION", "Приморский край", "CITY", "Владивосток"));
        m.put("BUYER", Map.of("NAME", "Екатерина", "PHONE", "+79411942180"));
        m.put("TOTAL", price);
        m.put("BASKET", List.of(line));
        return m;
    }

    @Test
    void ordersInTheForeignDialectReachTheAlertBookAndABadOneIsQuarantined() {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.ofHours(3)).withNano(0);
        records.add(legacyOrder(700001, "new", now.minusHours(3), now.minusHours(3), "450.00"));
        records.add(legacyOrder(700002, null, now.minusHours(2), now.minusHours(2), "450.00"));
        records.add(legacyOrder(700003, "ready", now.minusMinutes(20), now.minusMinutes(10), "18900.00"));

        await().atMost(Duration.ofSeconds(20)).until(() -> book.firing(Set.of("STUCK_ORDER")).contains("STUCK_ORDER:700001"));
        await().atMost(Duration.ofSeconds(20)).until(() -> TestApp.count(db, "SELECT COUNT(*) FROM quarantine") == 1);
        String reason = db.read(c -> {
            try (var ps = c.prepareStatement("SELECT record_id, reason FROM quarantine"); var rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1) + " " + rs.getString(2);
            }
        });
        assertTrue(reason.contains("700002") && reason.contains("status"), reason);
        // the mapped order is the reference shape: stored as a snapshot like any other
        assertEquals(2, TestApp.count(db, "SELECT COUNT(*) FROM order_snapshot WHERE order_id IN ('700001', '700003')"));
        // the example check on the feed saw the overpriced line
        await().atMost(Duration.ofSeconds(20)).until(() -> book.firing(Set.of("PRICE_SPIKE")).contains("PRICE_SPIKE:700003"));

        // the next walk starts at the watermark kept in the database: the newest updatedAt handed over
        String watermark = now.minusMinutes(10).toInstant().toString();
        await().atMost(Duration.ofSeconds(10)).until(() -> asked.contains(watermark));
        // re-read records are the same events: nothing new is quarantined or raised
        assertEquals(1, TestApp.count(db, "SELECT COUNT(*) FROM quarantine"));
    }
}
