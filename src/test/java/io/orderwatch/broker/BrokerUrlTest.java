package io.orderwatch.broker;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** ORDERWATCH_BROKER_URL names one Artemis or, for a primary/backup pair, Artemis' list of servers. */
class BrokerUrlTest {

    private static BrokerSettings external(String url) {
        return new BrokerSettings(url, "ow", "secret", 61616, "127.0.0.1", Path.of("."), Duration.ofSeconds(1), 2, Duration.ofMinutes(1), 10, 95);
    }

    @Test
    void aListOfServersForHaIsAcceptedAndEachMemberChecked() {
        String ha = "(tcp://artemis-a:61616,tcp://artemis-b:61616)?ha=true";
        assertTrue(external(ha).problem().isEmpty(), external(ha).problem().toString());
        // the client takes it, with the reconnection defaults added after the list's own parameters
        try (JmsConnections jms = new JmsConnections(external(ha))) {
            assertTrue(jms.connectionFactory() != null);
        }
        assertTrue(JmsConnections.withDefaults(ha).startsWith(ha + "&reconnectAttempts=-1"), JmsConnections.withDefaults(ha));
        assertTrue(external("(tcp://artemis-a:61616,artemis-b)?ha=true").problem().orElseThrow().startsWith("ORDERWATCH_BROKER_URL is not a valid broker URL"));
        assertTrue(external("tcp://artemis:61616?callTimeout=5000").problem().isEmpty());
    }
}
