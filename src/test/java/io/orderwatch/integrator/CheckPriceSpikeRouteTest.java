package io.orderwatch.integrator;

import io.orderwatch.alert.AlertBook;
import io.orderwatch.alert.MuteCheck;
import io.orderwatch.alert.RaisedFindings;
import io.orderwatch.app.TestApp;
import io.orderwatch.model.Json;
import io.orderwatch.observe.Metrics;
import io.orderwatch.source.JsonMapping;
import io.orderwatch.store.AlertStore;
import io.orderwatch.store.Database;
import io.orderwatch.store.TestDatabases;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TEMPLATE for testing a route of your own (README "Testing a route"): JUnit 5 on
 * camel-test-main-junit5, the YAML route loaded from routes/ as orderwatch loads it, its peers real
 * (here raise-finding, the alert book on an H2 database, the mapping file from config/mappings) and fed
 * at its own entry point. Copy it, change the routes in {@link #configure} and the beans in
 * {@link #bindToRegistry}, and send what your route receives.
 *
 * <p>This one tests the example check: an event of the order feed with an overpriced line raises
 * PRICE_SPIKE through the alert book (fingerprint, outbox), the next version of the order without it
 * resolves it, and a finding that fails validation is answered naming the field, counted, and changes
 * nothing.
 */
class CheckPriceSpikeRouteTest extends CamelMainTestSupport {

    private final Database db = TestDatabases.h2();
    private final AlertBook book = new AlertBook(db, new AlertStore(db.dialect()), MuteCheck.NONE, Clock.systemUTC());
    private final Metrics metrics = Metrics.inMemory();

    /** The route under test and its peers, straight from routes/. */
    @Override
    protected void configure(MainConfigurationProperties configuration) {
        configuration.withRoutesIncludePattern("file:routes/check-price-spike.camel.yaml,file:routes/raise-finding.camel.yaml");
    }

    /** The beans the routes call by name, real ones. */
    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("mapping", new JsonMapping(Path.of("config", "mappings"), Json.mapper()));
        registry.bind("raisedFindings", new RaisedFindings(db, book, metrics, Clock.systemUTC()));
    }

    static String upserted(String eventId, String status, String price) {
        return "{\"eventId\":\"" + eventId + "\",\"type\":\"ORDER_UPSERTED\",\"occurredAt\":\"2026-11-22T09:20:05+03:00\","
                + "\"orderId\":\"800001\",\"data\":{\"id\":\"800001\",\"createdAt\":\"2026-11-22T08:00:00+03:00\","
                + "\"updatedAt\":\"2026-11-22T09:20:00+03:00\",\"status\":\"" + status + "\",\"statusChangedAt\":\"2026-11-22T08:00:00+03:00\","
                + "\"deliveryType\":\"PICKUP\",\"storeId\":\"st-1\",\"region\":\"Приморский край\",\"items\":[{\"lineId\":\"1\","
                + "\"name\":\"Нурофен\",\"quantity\":1,\"price\":" + price + ",\"storeSku\":\"S\"}]}}";
    }

    @Test
    void anOverpricedLineRaisesPriceSpikeAndTheNextVersionWithoutItResolvesIt() {
        template.sendBody("direct:check-price-spike", upserted("e-1", "READY", "18900.00"));
        assertEquals(Set.of("PRICE_SPIKE:800001"), book.firing(Set.of("PRICE_SPIKE")));
        assertEquals(1, TestApp.count(db, "SELECT COUNT(*) FROM alert_event WHERE event_id LIKE 'PRICE_SPIKE:800001#%:FIRING'"),
                "published to the sinks like a built-in kind");
        String details = db.read(c -> {
            try (var ps = c.prepareStatement("SELECT details FROM alert WHERE fingerprint = 'PRICE_SPIKE:800001'"); var rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        });
        assertTrue(details.contains("18900") && details.contains("Нурофен"), details);

        template.sendBody("direct:check-price-spike", upserted("e-2", "READY", "1890.00"));
        assertEquals(Set.of(), book.firing(Set.of("PRICE_SPIKE")));
        assertEquals(1, TestApp.count(db, "SELECT COUNT(*) FROM alert_event WHERE event_id LIKE 'PRICE_SPIKE:800001#%:RESOLVED'"));
    }

    @Test
    void aFindingThatFailsValidationNamesTheFieldIsCountedAndChangesNothing() {
        Object reply = template.requestBody("direct:raise-finding",
                "{\"kind\":\"PRICE_SPIKE\",\"subject\":\"800002\",\"startedAt\":\"yesterday\",\"resolve\":\"call\"}");
        Map<?, ?> answer = (Map<?, ?>) reply;
        assertFalse((Boolean) answer.get("ok"));
        assertEquals("startedAt", answer.get("field"));
        assertTrue(String.valueOf(answer.get("error")).startsWith("startedAt: not ISO-8601"), String.valueOf(answer.get("error")));
        assertEquals(1.0, metrics.registry().get("orderwatch.findings.rejected").tag("field", "startedAt").counter().count());
        assertEquals(0, TestApp.count(db, "SELECT COUNT(*) FROM alert"));

        Map<?, ?> builtIn = (Map<?, ?>) template.requestBody("direct:raise-finding",
                "{\"kind\":\"STUCK_ORDER\",\"subject\":\"1\",\"startedAt\":\"2026-11-22T09:20:00+03:00\",\"resolve\":\"call\"}");
        assertEquals("kind", builtIn.get("field"), "a built-in kind belongs to its detector");
    }
}
