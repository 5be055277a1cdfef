package io.orderwatch.routes;

import io.orderwatch.alert.AlertBook;
import io.orderwatch.alert.AlertKind;
import io.orderwatch.alert.AlertOutbox;
import io.orderwatch.alert.Finding;
import io.orderwatch.alert.MuteCheck;
import io.orderwatch.alert.Scope;
import io.orderwatch.app.TestApp;
import io.orderwatch.app.TestPorts;
import io.orderwatch.broker.BrokerSettings;
import io.orderwatch.broker.BrokerTopology;
import io.orderwatch.broker.DeadLetterIntake;
import io.orderwatch.broker.EmbeddedBroker;
import io.orderwatch.broker.JmsConnections;
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
import io.orderwatch.store.DeadLetters;
import io.orderwatch.store.DeliveryLedger;
import io.orderwatch.store.SinkAlerts;
import io.orderwatch.store.TestDatabases;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
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
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Slack sink's real YAML routes (publish-alert-events, notify-slack, dispatch-deliveries,
 * collect-dead-letters) with the shared error handling, over a real embedded broker and database, to
 * the Slack stub: an alert change is posted and its resolution replied in the thread; a permanent
 * Slack error fails the delivery and raises DELIVERY_FAILED, which Slack itself is not told; a message
 * the sink cannot read ends in the dead letters.
 */
class NotifySlackRoutesTest extends CamelTestSupport {

    private static Path dir;
    private static EmbeddedBroker broker;
    private static JmsConnections jms;
    private Database db;
    private AlertBook book;
    private SlackStub slack;
    private DeliveryDispatcher dispatcher;

    @Override
    protected void doPreSetup() throws Exception {
        if (broker == null) {
            dir = Files.createTempDirectory("slack-routes");
            BrokerSettings settings = new BrokerSettings("", null, null, TestPorts.free(), "127.0.0.1", dir,
                    Duration.ofMillis(50), 1.0, Duration.ofMillis(50), 3, 100);
            broker = new EmbeddedBroker(settings, Path.of("config", "broker.xml"));
            broker.start();
            jms = new JmsConnections(settings, broker);
        }
        db = TestDatabases.h2();
        book = new AlertBook(db, new AlertStore(db.dialect()), MuteCheck.NONE, Clock.systemUTC());
        slack = new SlackStub();
    }

    @Override
    protected void doPostTearDown() {
        dispatcher.close();
        slack.close();
        db.close();
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
        Clock clock = Clock.systemUTC();
        DeliveryLedger ledger = new DeliveryLedger();
        dispatcher = new DeliveryDispatcher(db, ledger, new RetryPolicy(Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofHours(24)),
                Duration.ofSeconds(5), new DeliveryFailedAlarm(book, clock), Metrics.inMemory(), clock);
        SlackSettings defaults = SlackSettings.from(io.orderwatch.notify.slack.SlackRoutingTest.config(Map.of()));
        SlackSettings settings = new SlackSettings("xoxb-test-token", slack.url(), defaults.routing(), Duration.ofMinutes(10), 15,
                Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofSeconds(5), 2, "");
        SlackSink sink = new SlackSink(db, new SinkAlerts(db, SlackSink.SINK), ledger, settings,
                new SlackMessages("https://arm.example.org", java.time.ZoneId.of("Europe/Moscow"), 15, ""),
                new SdkSlackApi(settings.apiUrl(), settings.token(), settings.timeout()), clock);
        dispatcher.register(SlackSink.SINK, sink, 2);
        io.orderwatch.broker.AlertPublisher publisher = new io.orderwatch.broker.AlertPublisher(jms.connectionFactory());
        registry.bind("alertOutbox", new AlertOutbox(db, new AlertStore(db.dialect()), Metrics.inMemory(), clock, 100,
                events -> publisher.publish(events.stream().map(e -> new io.orderwatch.broker.AlertPublisher.Event(e.eventId(), e.payload())).toList())));
        registry.bind("slackSink", sink);
        intake = new io.orderwatch.broker.QueueBatches(jms.connectionFactory(), BrokerTopology.fqqn(BrokerTopology.ALERTS, BrokerTopology.SLACK_QUEUE),
                100, Duration.ofSeconds(1), sink::acceptAll);
        registry.bind("slackIntake", intake);
        registry.bind("deliveryDispatcher", dispatcher);
        registry.bind("deadLetterIntake", new DeadLetterIntake(db, new DeadLetters(), jms.connectionFactory(), clock,
                Map.of(BrokerTopology.SLACK_QUEUE, sink::accept)));
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() throws Exception {
                for (String file : List.of("error-handling", "publish-alert-events", "notify-slack", "dispatch-deliveries", "collect-dead-letters")) {
                    PluginHelper.getRoutesLoader(getContext()).loadRoutes(
                            org.apache.camel.support.ResourceHelper.resolveMandatoryResource(getContext(), "file:routes/" + file + ".camel.yaml"));
                }
            }
        };
    }

    private static Finding exportFailed(String orderId) {
        return new Finding(AlertKind.EXPORT_FAILED, orderId, orderId, "st-1", "ch-1", "Москва", OffsetDateTime.parse("2026-11-22T08:00:00+03:00"),
                Map.of("system", "SBIS", "error", "TIMEOUT", "storeName", "Аптека 1"));
    }

    @Test
    void anAlertIsPostedAndItsResolutionRepliedInTheThread() {
        book.reconcile(Scope.order("500", Set.of(AlertKind.EXPORT_FAILED)), List.of(exportFailed("500")));
        await().atMost(Duration.ofSeconds(20)).until(() -> slack.messages().size() == 1);
        SlackStub.Stored post = slack.messages().get(0);
        assertEquals(slack.channelId("#order-export-problems"), post.channelId());
        book.reconcile(Scope.order("500", Set.of(AlertKind.EXPORT_FAILED)), List.of());
        await().atMost(Duration.ofSeconds(20)).until(() -> slack.messages().stream().anyMatch(m -> post.ts().equals(m.threadTs())));
        await().atMost(Duration.ofSeconds(20)).until(() -> slack.messages().stream().anyMatch(m -> m.ts().equals(post.ts()) && m.text().startsWith("✅")));
        assertEquals(0, TestApp.count(db, "SELECT COUNT(*) FROM delivery WHERE state <> 'SENT'"));
    }

    @Test
    void aPermanentSlackErrorRaisesDeliveryFailedWhichSlackIsNotTold() {
        slack.script("chat.postMessage", SlackStub.Answer.error("channel_not_found"));
        book.reconcile(Scope.order("501", Set.of(AlertKind.EXPORT_FAILED)), List.of(exportFailed("501")));
        await().atMost(Duration.ofSeconds(20)).until(() -> TestApp.count(db, "SELECT COUNT(*) FROM delivery WHERE state = 'FAILED'") == 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> TestApp.count(db,
                "SELECT COUNT(*) FROM sink_alert WHERE sink = 'slack' AND kind = 'DELIVERY_FAILED'") == 1);
        assertEquals(1, slack.calls("chat.postMessage").size(), "no retry, and no post about Slack's own failure");
        assertEquals(1, TestApp.count(db, "SELECT COUNT(*) FROM delivery"), "the DELIVERY_FAILED alert made no Slack delivery");
    }

    @Test
    void aMessageTheSinkCannotReadEndsInTheDeadLetters() throws Exception {
        try (Connection c = jms.connectionFactory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createTopic(BrokerTopology.ALERTS));
            p.send(s.createTextMessage("{not json"));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> TestApp.count(db,
                "SELECT COUNT(*) FROM dead_letter WHERE origin_queue = 'orderwatch.alerts.slack' AND payload = '{not json'") == 1);
        assertTrue(slack.calls().isEmpty());
    }
}
