package io.orderwatch.routes;

import io.orderwatch.alert.AlertBook;
import io.orderwatch.alert.AlertKind;
import io.orderwatch.alert.Finding;
import io.orderwatch.alert.MuteCheck;
import io.orderwatch.app.TestApp;
import io.orderwatch.app.TestPorts;
import io.orderwatch.broker.BrokerSettings;
import io.orderwatch.broker.BrokerTopology;
import io.orderwatch.broker.EmbeddedBroker;
import io.orderwatch.broker.EventQueue;
import io.orderwatch.broker.JmsConnections;
import io.orderwatch.source.EventProcessor;
import io.orderwatch.detect.ExportFailedDetector;
import io.orderwatch.detect.OrderDetector;
import io.orderwatch.detect.OrderEvaluator;
import io.orderwatch.model.Order;
import io.orderwatch.model.Store;
import io.orderwatch.observe.Metrics;
import io.orderwatch.store.AlertStore;
import io.orderwatch.store.Database;
import io.orderwatch.store.OrderSnapshots;
import io.orderwatch.store.ProcessedEvents;
import io.orderwatch.store.Quarantine;
import io.orderwatch.store.StoreDirectory;
import io.orderwatch.store.TestDatabases;
import jakarta.jms.Connection;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The real YAML route consume-order-events with the shared error handling, over a real embedded broker
 * (three deliveries, fast backoff) and database: a valid event whose processing fails is redelivered
 * like any other failure, and quarantined only when the broker's last delivery fails too.
 */
public class ConsumeOrderEventsTest extends CamelTestSupport {

    private static final int MAX_DELIVERIES = 3;
    private static Path dir;
    private static EmbeddedBroker broker;
    private static JmsConnections jms;
    private Database db;
    private AlertBook book;
    /** How many more evaluations fail: a real detector that breaks, as a bug or a race would. */
    private final AtomicInteger failuresLeft = new AtomicInteger();

    @Override
    protected void doPreSetup() throws Exception {
        if (broker == null) {
            dir = Files.createTempDirectory("consume-events");
            BrokerSettings settings = new BrokerSettings("", null, null, TestPorts.free(), "127.0.0.1", dir,
                    Duration.ofMillis(50), 1.0, Duration.ofMillis(50), MAX_DELIVERIES, 100);
            broker = new EmbeddedBroker(settings, java.nio.file.Path.of("config", "broker.xml"));
            broker.start();
            jms = new JmsConnections(settings, broker);
        }
        db = TestDatabases.h2();
        book = new AlertBook(db, new AlertStore(db.dialect()), MuteCheck.NONE, Clock.systemUTC());
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (jms != null) {
            jms.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties p = new Properties();
        p.setProperty("orderwatch.broker.max-delivery-attempts", String.valueOf(MAX_DELIVERIES));
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
        OrderDetector breaking = new OrderDetector() {
            @Override
            public String kind() {
                return "TEST_BREAKING";
            }

            @Override
            public List<Finding> evaluate(Order order, Store store, Order previous, Instant now) {
                if (failuresLeft.getAndDecrement() > 0) {
                    throw new IllegalStateException("detector broke\non a second line");
                }
                return List.of();
            }
        };
        OrderEvaluator evaluator = new OrderEvaluator(db, new OrderSnapshots(db.dialect()), new StoreDirectory(db), book,
                List.of(breaking, new ExportFailedDetector()), Metrics.inMemory(), Clock.systemUTC());
        registry.bind("eventProcessor", new EventProcessor(db, new ProcessedEvents(), evaluator, new AlertStore(db.dialect()),
                new Quarantine(db), Metrics.inMemory(), Clock.systemUTC()));
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() throws Exception {
                for (String file : List.of("error-handling", "consume-order-events")) {
                    PluginHelper.getRoutesLoader(getContext()).loadRoutes(
                            org.apache.camel.support.ResourceHelper.resolveMandatoryResource(getContext(), "file:routes/" + file + ".camel.yaml"));
                }
            }
        };
    }

    public static String exportFailed(String eventId, String orderId) {
        return "{\"eventId\":\"" + eventId + "\",\"type\":\"ORDER_UPSERTED\",\"occurredAt\":\"2026-11-22T09:20:05+03:00\",\"orderId\":\""
                + orderId + "\",\"data\":{\"id\":\"" + orderId + "\",\"createdAt\":\"2026-11-22T08:00:00+03:00\","
                + "\"updatedAt\":\"2026-11-22T09:20:00+03:00\",\"status\":\"NEW\",\"statusChangedAt\":\"2026-11-22T08:00:00+03:00\","
                + "\"deliveryType\":\"PICKUP\",\"storeId\":\"st-1\",\"items\":[{\"lineId\":\"1\",\"quantity\":1,\"storeSku\":\"S\"}],"
                + "\"export\":{\"state\":\"FAILED\",\"system\":\"SBIS\",\"attempts\":3}}}";
    }

    private void send(String eventId, String json) throws Exception {
        new EventQueue(jms.connectionFactory()).enqueue(List.<String[]>of(new String[] {eventId, json}));
    }

    private long count(String sql) {
        return TestApp.count(db, sql);
    }

    @Test
    void aValidEventThatFailsOnceIsRedeliveredAndTakesEffect() throws Exception {
        failuresLeft.set(1);
        send("t-1", exportFailed("t-1", "900001"));
        await().atMost(Duration.ofSeconds(20)).until(() -> book.firing(Set.of(AlertKind.EXPORT_FAILED)).contains("EXPORT_FAILED:900001"));
        assertEquals(0, count("SELECT COUNT(*) FROM quarantine"), "a passing failure is not quarantined");
        assertEquals(1, count("SELECT COUNT(*) FROM processed_event WHERE event_id = 't-1'"));
    }

    @Test
    void aValidEventThatFailsOnEveryDeliveryIsQuarantinedOnTheLastOneAndMarkedTaken() throws Exception {
        failuresLeft.set(Integer.MAX_VALUE);
        int dead = depth(BrokerTopology.deadLetterQueue(BrokerTopology.EVENTS));
        send("t-2", exportFailed("t-2", "900002"));
        await().atMost(Duration.ofSeconds(20)).until(() -> count("SELECT COUNT(*) FROM quarantine WHERE record_id = 't-2'") == 1);
        assertEquals(1, count("SELECT COUNT(*) FROM processed_event WHERE event_id = 't-2'"));
        assertEquals(MAX_DELIVERIES, Integer.MAX_VALUE - failuresLeft.get(), "every delivery the broker makes was tried");
        assertEquals(dead, depth(BrokerTopology.deadLetterQueue(BrokerTopology.EVENTS)), "kept in quarantine, not dead-lettered");
        String reason = db.read(c -> {
            try (var ps = c.prepareStatement("SELECT reason FROM quarantine WHERE record_id = 't-2'"); var rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        });
        assertEquals(true, reason.contains("detector broke"), reason);
    }

    private int depth(String queue) throws Exception {
        try (Connection c = jms.connectionFactory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            try (QueueBrowser b = s.createBrowser(s.createQueue(queue))) {
                return Collections.list(b.getEnumeration()).size();
            }
        } catch (jakarta.jms.InvalidDestinationException notYet) {
            return 0;
        }
    }
}
