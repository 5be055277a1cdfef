package io.orderwatch.observe;

import io.orderwatch.broker.BrokerSettings;
import io.orderwatch.source.AdminApiSettings;
import io.orderwatch.store.DbSettings;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** URLs that orderwatch echoes in logs and start-up problems carry no password or token. */
class LogTextMaskTest {

    @Test
    void masksPasswordsAndTokensAndKeepsTheRest() {
        assertEquals("tcp://orderwatch:***@artemis:61616?reconnectAttempts=-1", LogText.mask("tcp://orderwatch:s3cret@artemis:61616?reconnectAttempts=-1"));
        assertEquals("jdbc:postgresql://db:5432/orderwatch?user=ow&password=***&ssl=true",
                LogText.mask("jdbc:postgresql://db:5432/orderwatch?user=ow&password=s3cret&ssl=true"));
        assertEquals("jdbc:h2:file:/data/db;USER=sa;PASSWORD=***;MODE=PostgreSQL", LogText.mask("jdbc:h2:file:/data/db;USER=sa;PASSWORD=s3cret;MODE=PostgreSQL"));
        assertEquals("https://hooks.example.org/orderwatch?token=***&channel=ops", LogText.mask("https://hooks.example.org/orderwatch?token=abc123&channel=ops"));
        assertEquals("HTTP operation failed invoking https://h.example.org/x?api_key=*** with statusCode: 500",
                LogText.mask("HTTP operation failed invoking https://h.example.org/x?api_key=k1 with statusCode: 500"));
        assertEquals("http://arm.example.org/api/v1/orders?limit=500", LogText.mask("http://arm.example.org/api/v1/orders?limit=500"));
        assertEquals("tcp://artemis:61616", LogText.mask("tcp://artemis:61616"));
    }

    @Test
    void theSettingsThatEchoAUrlMaskIt() {
        BrokerSettings broker = new BrokerSettings("tcp//ow:s3cret@artemis", "ow", "s3cret", 61616, "0.0.0.0", Path.of("."),
                Duration.ofSeconds(1), 2.0, Duration.ofMinutes(5), 10, 100);
        String problem = broker.problem().orElseThrow();
        assertTrue(problem.startsWith("ORDERWATCH_BROKER_URL is not a valid broker URL"), problem);
        assertFalse(problem.contains("s3cret"), problem);
        BrokerSettings external = new BrokerSettings("tcp://ow:s3cret@artemis:61616", "ow", "s3cret", 61616, "0.0.0.0", Path.of("."),
                Duration.ofSeconds(1), 2.0, Duration.ofMinutes(5), 10, 100);
        assertFalse(external.toString().contains("s3cret"), external.toString());

        DbSettings db = new DbSettings("jdbc:mysql://db/x?PASSWORD=s3cret", "ow", "s3cret", 4);
        assertFalse(db.problem().orElseThrow().contains("s3cret"), db.problem().orElseThrow());
        assertFalse(db.toString().contains("s3cret"), db.toString());

        AdminApiSettings admin = new AdminApiSettings(URI.create("https://ow:s3cret@arm.example.org"), "t", Duration.ofSeconds(1),
                Duration.ofSeconds(1), 100, 1, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1));
        assertFalse(admin.toString().contains("s3cret"), admin.toString());
    }
}
