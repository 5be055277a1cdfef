package io.orderwatch.broker;

import io.orderwatch.app.TestPorts;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import io.orderwatch.detect.StuckLimits;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Outside producers reach orders.events over CORE, AMQP 1.0 and OpenWire, and what they sent survives a restart. */
class EmbeddedBrokerTest {

    /** The file docker-compose gives an external Artemis: the embedded broker loads it too. */
    static final Path BROKER_XML = Path.of("config", "broker.xml");

    @TempDir
    Path dir;

    private BrokerSettings settings(int port) {
        return new BrokerSettings("", null, null, port, "127.0.0.1", dir, Duration.ofMillis(100), 2.0, Duration.ofSeconds(1), 3, 100);
    }

    @Test
    void coreAndAmqpProducersReachTheEventFeedAndMessagesSurviveARestart() throws Exception {
        int port = TestPorts.free();
        BrokerSettings settings = settings(port);
        try (EmbeddedBroker broker = new EmbeddedBroker(settings, BROKER_XML)) {
            broker.start();
            assertTrue(broker.isActive());
            send(new org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory("tcp://127.0.0.1:" + port), "{\"eventId\":\"core-1\"}");
            send(new JmsConnectionFactory("amqp://127.0.0.1:" + port), "{\"eventId\":\"amqp-1\"}");
            sendOpenWire("tcp://127.0.0.1:" + port, "{\"eventId\":\"openwire-1\"}");
        }
        try (EmbeddedBroker broker = new EmbeddedBroker(settings, BROKER_XML); JmsConnections jms = new JmsConnections(settings, broker)) {
            broker.start();
            assertTrue(jms.problem().isEmpty());
            try (Connection c = jms.connectionFactory().createConnection()) {
                c.start();
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = s.createConsumer(s.createQueue(BrokerTopology.EVENTS));
                String first = body(consumer);
                String second = body(consumer);
                String third = body(consumer);
                assertEquals("{\"eventId\":\"core-1\"}{\"eventId\":\"amqp-1\"}{\"eventId\":\"openwire-1\"}", first + second + third);
            }
        }
    }

    /** An ActiveMQ Classic producer (OpenWire), as order-events.md allows. */
    private static void sendOpenWire(String url, String body) throws Exception {
        javax.jms.Connection c = new org.apache.activemq.ActiveMQConnectionFactory(url).createConnection();
        try {
            javax.jms.Session s = c.createSession(false, javax.jms.Session.AUTO_ACKNOWLEDGE);
            javax.jms.MessageProducer p = s.createProducer(s.createQueue(BrokerTopology.EVENTS));
            p.setDeliveryMode(javax.jms.DeliveryMode.PERSISTENT);
            p.send(s.createTextMessage(body));
        } finally {
            c.close();
        }
    }

    @Test
    void settingsNameTheVariable() {
        BrokerSettings bad = new BrokerSettings("artemis:61616", null, null, 61616, "0.0.0.0", dir, Duration.ofSeconds(1), 2, Duration.ofMinutes(1), 10, 100);
        assertTrue(bad.problem().orElseThrow().startsWith("ORDERWATCH_BROKER_URL"));
        BrokerSettings good = new BrokerSettings("tcp://artemis:61616", "u", "secret", 61616, "0.0.0.0", dir, Duration.ofSeconds(1), 2, Duration.ofMinutes(1), 10, 100);
        assertTrue(good.problem().isEmpty());
        assertTrue(!good.toString().contains("secret"));
        assertTrue(JmsConnections.withDefaults("tcp://artemis:61616").contains("reconnectAttempts=-1"));
    }

    /**
     * One truth for the broker's shape: what config/broker.xml declares, the embedded broker has (a
     * queue added to the file appears, its limits and acceptor protocols hold), with the values the
     * settings give, not the file's defaults.
     */
    @Test
    void theEmbeddedBrokerHasTheShapeThatBrokerXmlDeclares() throws Exception {
        String xml = Files.readString(BROKER_XML);
        Path copy = dir.resolve("broker.xml");
        String marker = "<queue name=\"orderwatch.alerts.tickets\"/>";
        assertTrue(xml.contains(marker));
        Files.writeString(copy, xml.replace(marker, marker + "<queue name=\"orderwatch.alerts.webhook\"/>"));
        BrokerSettings settings = settings(TestPorts.free());
        try (EmbeddedBroker broker = new EmbeddedBroker(settings, copy)) {
            broker.start();
            ActiveMQServer server = broker.server();
            assertNotNull(server.locateQueue(SimpleString.of("orderwatch.alerts.webhook")), "a queue declared in broker.xml");
            for (String q : BrokerTopology.SINK_QUEUES) {
                assertNotNull(server.locateQueue(SimpleString.of(q)), q);
            }
            assertNotNull(server.locateQueue(SimpleString.of(BrokerTopology.EVENTS)));
            AddressSettings events = server.getAddressSettingsRepository().getMatch(BrokerTopology.EVENTS);
            assertEquals(3, events.getMaxDeliveryAttempts());
            assertEquals(100, events.getRedeliveryDelay());
            assertEquals(1000, events.getMaxRedeliveryDelay());
            assertEquals(BrokerTopology.DEAD_LETTERS, events.getDeadLetterAddress().toString());
            assertEquals(-1, server.getAddressSettingsRepository().getMatch(BrokerTopology.DEAD_LETTERS).getMaxDeliveryAttempts());
            assertEquals(100, server.getConfiguration().getMaxDiskUsage());
            assertEquals(50_000, server.getConfiguration().getIDCacheSize());
            assertTrue(server.getConfiguration().getJournalDirectory().startsWith(dir.resolve("broker").toAbsolutePath().toString()));
            String producers = server.getConfiguration().getAcceptorConfigurations().stream()
                    .map(t -> String.valueOf(t.getParams().get("protocols"))).filter(p -> !p.equals("null")).findFirst().orElseThrow();
            assertEquals("CORE,AMQP,STOMP,OPENWIRE", producers);
            assertTrue(EmbeddedBroker.describeAcceptors(server.getConfiguration()).contains("OPENWIRE"));
        }
    }

    /**
     * The defaults of config/application.properties and those broker.xml gives an external Artemis agree,
     * but for the bind host: the embedded broker listens on 127.0.0.1 unless told otherwise (wider only with
     * credentials), an external Artemis, which has users of its own, on every interface of its host.
     */
    @Test
    void settingsDefaultsAndBrokerXmlDefaultsAgree() throws Exception {
        Properties props = new Properties();
        try (var in = Files.newBufferedReader(Path.of("config", "application.properties"))) {
            props.load(in);
        }
        Matcher m = Pattern.compile("\\$\\{(orderwatch\\.broker\\.[a-z-]+):([^}]*)}").matcher(Files.readString(BROKER_XML));
        int checked = 0;
        while (m.find()) {
            String key = m.group(1);
            if (key.equals("orderwatch.broker.bind-host")) {
                assertEquals("0.0.0.0", m.group(2), key);
                assertTrue(props.getProperty(key).contains("ORDERWATCH_BROKER_BIND_HOST:127.0.0.1"), key);
                continue;
            }
            String fromProperties = key.endsWith("-ms")
                    ? Long.toString(StuckLimits.parseDuration(props.getProperty(key.substring(0, key.length() - 3)).trim(), key).toMillis())
                    : key.equals("orderwatch.broker.dir") ? "data" : props.getProperty(key, "").trim().replaceAll("\\{\\{env:[A-Z_]+:([^}]*)}}", "$1");
            assertEquals(m.group(2), fromProperties, key);
            checked++;
        }
        assertTrue(checked >= 8, "placeholders checked: " + checked);
    }

    /** The readiness check keeps one connection to the broker instead of opening one per call, and still sees an outage. */
    @Test
    void readinessReusesOneConnectionAndNoticesTheBrokerGoingAway() throws Exception {
        BrokerSettings settings = settings(TestPorts.free());
        EmbeddedBroker broker = new EmbeddedBroker(settings, BROKER_XML);
        try (JmsConnections jms = new JmsConnections(settings, broker)) {
            broker.start();
            assertTrue(jms.problem().isEmpty());
            long opened = broker.server().getTotalConnectionCount();
            for (int i = 0; i < 20; i++) {
                assertTrue(jms.problem().isEmpty());
            }
            assertEquals(opened, broker.server().getTotalConnectionCount(), "connections opened by 20 more readiness checks");
            broker.close();
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> jms.problem().isPresent());
            assertTrue(jms.problem().orElseThrow().startsWith("broker unavailable"));
            broker.start();
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> jms.problem().isEmpty());
        } finally {
            broker.close();
        }
    }

    private static void send(ConnectionFactory factory, String body) throws Exception {
        try (Connection c = factory.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            var producer = s.createProducer(s.createQueue(BrokerTopology.EVENTS));
            producer.setDeliveryMode(jakarta.jms.DeliveryMode.PERSISTENT);
            producer.send(s.createTextMessage(body));
        }
    }

    private static String body(MessageConsumer consumer) throws Exception {
        TextMessage m = (TextMessage) consumer.receive(10_000);
        assertNotNull(m, "message expected on " + BrokerTopology.EVENTS);
        return m.getText();
    }
}
