package io.orderwatch.routes;

import io.orderwatch.alert.AlertBook;
import io.orderwatch.alert.AlertKind;
import io.orderwatch.alert.AlertOutbox;
import io.orderwatch.alert.Finding;
import io.orderwatch.alert.MuteCheck;
import io.orderwatch.alert.Scope;
import io.orderwatch.app.TestPorts;
import io.orderwatch.broker.BrokerSettings;
import io.orderwatch.broker.BrokerTopology;
import io.orderwatch.broker.EmbeddedBroker;
import io.orderwatch.broker.JmsConnections;
import io.orderwatch.notify.AlertInbox;
import io.orderwatch.observe.Metrics;
import io.orderwatch.store.AlertStore;
import io.orderwatch.store.Database;
import io.orderwatch.store.SinkAlerts;
import io.orderwatch.store.TestDatabases;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
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
import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The real YAML routes publish-alert-events and notify-email, with the shared error handling, over a
 * real embedded broker and database: a state change is published once per change, the broker drops
 * a re-sent duplicate, each sink queue gets its copy, and a message the sink cannot take is
 * redelivered and then dead-lettered, never dropped.
 */
class AlertRoutesTest extends CamelTestSupport {

    private static Path dir;
    private static EmbeddedBroker broker;
    private static JmsConnections jms;
    private Database db;
    private AlertBook book;
    private SinkAlerts emailView;

    @Override
    protected void doPreSetup() throws Exception {
        if (broker == null) {
            dir = Files.createTempDirectory("alert-routes");
            BrokerSettings settings = new BrokerSettings("", null, null, TestPorts.free(), "127.0.0.1", dir,
                    Duration.ofMillis(50), 1.0, Duration.ofMillis(50), 3, 100);
            broker = new EmbeddedBroker(settings, java.nio.file.Path.of("config", "broker.xml"));
            broker.start();
            jms = new JmsConnections(settings, broker);
        }
        db = TestDatabases.h2();
        book = new AlertBook(db, new AlertStore(db.dialect()), MuteCheck.NONE, Clock.systemUTC());
        emailView = new SinkAlerts(db, "email");
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
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        JmsComponent component = new JmsComponent();
        component.setConnectionFactory(jms.connectionFactory());
        context.addComponent("jms", component);
        return context;
    }

    /** The sink's queue consumer of this test's context: closed after each test, or it keeps the queue's next messages. */
    private io.orderwatch.broker.QueueBatches intake;

    @org.junit.jupiter.api.AfterEach
    void closeIntake() {
        if (intake != null) {
            intake.close();
        }
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        io.orderwatch.broker.AlertPublisher publisher = new io.orderwatch.broker.AlertPublisher(jms.connectionFactory());
        registry.bind("alertOutbox", new AlertOutbox(db, new AlertStore(db.dialect()), Metrics.inMemory(), Clock.systemUTC(), 100,
                events -> publisher.publish(events.stream().map(e -> new io.orderwatch.broker.AlertPublisher.Event(e.eventId(), e.payload())).toList())));
        // the route's contract is "the queue's messages are recorded in the e-mail view": the inbox does just that
        AlertInbox inbox = new AlertInbox(emailView, Clock.systemUTC());
        intake = new io.orderwatch.broker.QueueBatches(jms.connectionFactory(), BrokerTopology.fqqn(BrokerTopology.ALERTS, BrokerTopology.EMAIL_QUEUE),
                100, Duration.ofSeconds(1), bodies -> {
                    for (String body : bodies) {
                        inbox.accept(body);
                    }
                });
        registry.bind("emailIntake", intake);
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() throws Exception {
                for (String file : List.of("error-handling", "publish-alert-events", "notify-email")) {
                    PluginHelper.getRoutesLoader(getContext()).loadRoutes(
                            org.apache.camel.support.ResourceHelper.resolveMandatoryResource(getContext(), "file:routes/" + file + ".camel.yaml"));
                }
            }
        };
    }

    @Test
    void everyChangeReachesEverySinkQueueOnceAndTheEmailSinkRecordsIt() throws Exception {
        int ticketsBefore = depth(BrokerTopology.TICKETS_QUEUE);
        book.reconcile(Scope.order("500", java.util.Set.of(AlertKind.STUCK_ORDER)), List.of(stuck("500")));
        await().atMost(Duration.ofSeconds(20)).until(() -> emailView.list(AlertKind.STUCK_ORDER, "FIRING").size() == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> depth(BrokerTopology.TICKETS_QUEUE) == ticketsBefore + 1);
        book.reconcile(Scope.order("500", java.util.Set.of(AlertKind.STUCK_ORDER)), List.of());
        await().atMost(Duration.ofSeconds(20)).until(() -> emailView.list(AlertKind.STUCK_ORDER, "RESOLVED").size() == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> depth(BrokerTopology.TICKETS_QUEUE) == ticketsBefore + 2);

        // a crash between "sent" and "marked published" re-sends the same event: the broker drops it
        db.inTransaction(c -> {
            try (var ps = c.prepareStatement("UPDATE alert_event SET published_at = NULL")) {
                ps.executeUpdate();
            }
            return null;
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> db.read(c -> new AlertStore(db.dialect()).countPending(c)) == 0);
        assertEquals(ticketsBefore + 2, depth(BrokerTopology.TICKETS_QUEUE), "duplicate detection dropped the re-sent changes");
    }

    @Test
    void unreadableMessageIsRedeliveredThenDeadLettered() throws Exception {
        String dlq = BrokerTopology.deadLetterQueue(BrokerTopology.ALERTS);
        int before = depth(dlq);
        try (Connection c = jms.connectionFactory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createTopic(BrokerTopology.ALERTS));
            p.send(s.createTextMessage("{not json"));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> depth(dlq) >= before + 1);
        Message dead = first(dlq);
        assertEquals(BrokerTopology.EMAIL_QUEUE, dead.getStringProperty("_AMQ_ORIG_QUEUE"), "the dead letter says which sink failed");
    }

    private static Finding stuck(String orderId) {
        return new Finding(AlertKind.STUCK_ORDER, orderId, orderId, "st-1", "ch-1", "Москва",
                OffsetDateTime.parse("2026-11-22T08:00:00+03:00"), Map.of("status", "NEW"));
    }

    private static int depth(String queue) throws Exception {
        String name = queue.startsWith(BrokerTopology.DLQ_PREFIX) ? BrokerTopology.DEAD_LETTERS + "::" + queue
                : BrokerTopology.fqqn(BrokerTopology.ALERTS, queue);
        try (Connection c = jms.connectionFactory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            try (QueueBrowser b = s.createBrowser(s.createQueue(name))) {
                return Collections.list(b.getEnumeration()).size();
            }
        }
    }

    private static Message first(String dlq) throws Exception {
        try (Connection c = jms.connectionFactory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            try (QueueBrowser b = s.createBrowser(s.createQueue(BrokerTopology.DEAD_LETTERS + "::" + dlq))) {
                return (Message) b.getEnumeration().nextElement();
            }
        }
    }

    @Test
    void aTakeWaitingForMessagesStopsWaitingWhenTheStopBegins() throws Exception {
        io.orderwatch.broker.QueueBatches waiting = new io.orderwatch.broker.QueueBatches(jms.connectionFactory(),
                BrokerTopology.fqqn(BrokerTopology.ALERTS, BrokerTopology.EMAIL_QUEUE), 100, Duration.ofSeconds(30), bodies -> { });
        intake.close(); // the route's own intake would share the queue
        java.util.concurrent.ExecutorService one = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.Future<Integer> take = one.submit(waiting::take);
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !take.isDone());
            long asked = System.nanoTime();
            waiting.stopTaking();
            take.get(5, java.util.concurrent.TimeUnit.SECONDS); // not the 30 s it would otherwise wait
            org.junit.jupiter.api.Assertions.assertTrue(System.nanoTime() - asked < Duration.ofSeconds(2).toNanos(), "it stopped waiting at once");
            assertEquals(0, waiting.take(), "and later takes take nothing");
        } finally {
            one.shutdownNow();
            waiting.close();
        }
    }
}
