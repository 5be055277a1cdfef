package io.orderwatch.app;

import io.orderwatch.broker.BrokerTopology;
import io.orderwatch.testing.AdminStub;
import jakarta.jms.JMSSecurityException;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Outside demo mode too, every listener binds 127.0.0.1 unless its setting says otherwise; the embedded
 * broker bound wider refuses to start without credentials, and with them refuses a client that has none
 * while orderwatch's own connections (which use them) and an authenticated producer work.
 * A listener on every interface also answers on 127.0.0.2 (Linux routes 127.0.0.0/8 to loopback).
 */
class ListenerSecurityTest {

    @TempDir
    Path data;

    private AdminStub admin;
    private Orderwatch orderwatch;

    @BeforeEach
    void admin() throws IOException {
        admin = new AdminStub();
    }

    @AfterEach
    void stop() {
        if (orderwatch != null) {
            orderwatch.stop();
        }
        admin.close();
    }

    private Properties configured() {
        return TestApp.configuredOverrides(data, admin.baseUrl());
    }

    private static int port(Properties p, String key) {
        return Integer.parseInt(p.getProperty(key));
    }

    @Test
    void everyListenerIsOnLoopbackByDefault() throws Exception {
        Properties p = configured();
        orderwatch = Orderwatch.create(Path.of("."), Map.of(), p);
        orderwatch.start();
        for (String key : new String[] {"orderwatch.http.port", "orderwatch.management.port", "orderwatch.broker.port"}) {
            connect("127.0.0.1", port(p, key));
            assertThrows(ConnectException.class, () -> connect("127.0.0.2", port(p, key)), key + " must not listen beyond 127.0.0.1");
        }
        // no credentials are needed on loopback
        try (var c = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + port(p, "orderwatch.broker.port")).createConnection()) {
            c.start();
        }
    }

    @Test
    void theBrokerBoundWiderWithoutCredentialsIsRefusedNamingTheVariables() {
        for (Map<String, String> missing : java.util.List.of(Map.<String, String>of(), Map.of("orderwatch.broker.user", "ow"))) {
            Properties p = configured();
            p.setProperty("orderwatch.broker.bind-host", "0.0.0.0");
            missing.forEach(p::setProperty);
            StartupProblem e = assertThrows(StartupProblem.class, () -> Orderwatch.create(Path.of("."), Map.of(), p).stop());
            assertTrue(e.getMessage().startsWith("ORDERWATCH_BROKER_BIND_HOST=0.0.0.0 lets other hosts reach the embedded broker: "
                    + "set ORDERWATCH_BROKER_USER and ORDERWATCH_BROKER_PASSWORD"), e.getMessage());
        }
        Properties p = configured();
        p.setProperty("orderwatch.http.host", "192.0.2.77");
        StartupProblem e = assertThrows(StartupProblem.class, () -> Orderwatch.create(Path.of("."), Map.of(), p).stop());
        assertTrue(e.getMessage().startsWith("ORDERWATCH_HTTP_HOST 192.0.2.77 is not an address of this host"), e.getMessage());
    }

    @Test
    void withCredentialsTheWiderBrokerRefusesAnonymousClientsAndServesAuthenticatedOnes() throws Exception {
        Properties p = configured();
        p.setProperty("orderwatch.broker.bind-host", "0.0.0.0");
        p.setProperty("orderwatch.http.host", "0.0.0.0");
        p.setProperty("orderwatch.broker.user", "ow-producer");
        p.setProperty("orderwatch.broker.password", "broker-secret-7");
        orderwatch = Orderwatch.create(Path.of("."), Map.of(), p);
        orderwatch.start();
        int brokerPort = port(p, "orderwatch.broker.port");
        connect("127.0.0.2", brokerPort); // it listens wider now
        connect("127.0.0.2", port(p, "orderwatch.http.port"));
        assertThrows(ConnectException.class, () -> connect("127.0.0.2", port(p, "orderwatch.management.port")),
                "the management port keeps its own setting");

        String url = "tcp://127.0.0.2:" + brokerPort + "?reconnectAttempts=0";
        assertThrows(JMSSecurityException.class, () -> new ActiveMQConnectionFactory(url).createConnection().close(), "no credentials");
        assertThrows(JMSSecurityException.class, () -> new ActiveMQConnectionFactory(url, "ow-producer", "wrong").createConnection().close(),
                "a wrong password");
        try (var c = new ActiveMQConnectionFactory(url, "ow-producer", "broker-secret-7").createConnection()) {
            var s = c.createSession(false, jakarta.jms.Session.AUTO_ACKNOWLEDGE);
            s.createProducer(s.createQueue(BrokerTopology.EVENTS)).send(s.createTextMessage(EventFeedTest.city("sec-1", "Тверь", null)));
        }
        // orderwatch's own consumer of orders.events logged in with the same credentials and took it
        await().atMost(Duration.ofSeconds(20)).until(() -> TestApp.count(orderwatch.wiring().database(),
                "SELECT COUNT(*) FROM processed_event WHERE event_id = 'sec-1'") == 1);
        var health = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port(p, "orderwatch.management.port") + "/observe/health")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode(), "the broker's readiness check logs in too: " + health.body());
    }

    private static void connect(String host, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 2000);
        }
    }
}
