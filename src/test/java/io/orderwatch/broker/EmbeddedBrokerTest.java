package io.orderwatch.broker;

import io.orderwatch.app.TestPorts;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Outside producers reach orders.events over CORE, AMQP 1.0 and OpenWire, and what they sent survives a restart. */
class EmbeddedBrokerTest {

    @TempDir
    Path dir;

    private BrokerSettings settings(int port) {
        return new BrokerSettings("", null, null, port, "127.0.0.1", dir, Duration.ofMillis(100), 2.0, Duration.ofSeconds(1), 3, 100);
    }

    @Test
    void coreAndAmqpProducersReachTheEventFeedAndMessagesSurviveARestart() throws Exception {
        int port = TestPorts.free();
        BrokerSettings settings = settings(port);
        try (EmbeddedBroker broker = new EmbeddedBroker(settings)) {
            broker.start();
            assertTrue(broker.isActive());
            send(new org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory("tcp://127.0.0.1:" + port), "{\"eventId\":\"core-1\"}");
            send(new JmsConnectionFactory("amqp://127.0.0.1:" + port), "{\"eventId\":\"amqp-1\"}");
            sendOpenWire("tcp://127.0.0.1:" + port, "{\"eventId\":\"openwire-1\"}");
        }
        try (EmbeddedBroker broker = new EmbeddedBroker(settings); JmsConnections jms = new JmsConnections(settings, broker)) {
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
