package io.orderwatch.source;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.orderwatch.alert.AlertBook;
import io.orderwatch.alert.Finding;
import io.orderwatch.alert.MuteCheck;
import io.orderwatch.detect.OrderDetector;
import io.orderwatch.detect.OrderEvaluator;
import io.orderwatch.app.TestApp;
import io.orderwatch.model.Order;
import io.orderwatch.model.Store;
import io.orderwatch.observe.LogText;
import io.orderwatch.observe.Metrics;
import io.orderwatch.routes.ConsumeOrderEventsTest;
import io.orderwatch.store.AlertStore;
import io.orderwatch.store.Database;
import io.orderwatch.store.OrderSnapshots;
import io.orderwatch.store.ProcessedEvents;
import io.orderwatch.store.Quarantine;
import io.orderwatch.store.StoreDirectory;
import io.orderwatch.store.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the event consumer's bean keeps when an event cannot be processed, and what it logs. */
class EventProcessorTest {

    private final Database db = TestDatabases.h2();
    private final OrderDetector breaking = new OrderDetector() {
        @Override
        public String kind() {
            return "TEST_BREAKING";
        }

        @Override
        public List<Finding> evaluate(Order order, Store store, Order previous, Instant now) {
            throw new IllegalStateException("detector broke");
        }
    };
    private final OrderEvaluator evaluator = new OrderEvaluator(db, new OrderSnapshots(db.dialect()), new StoreDirectory(db),
            new AlertBook(db, new AlertStore(db.dialect()), MuteCheck.NONE, Clock.systemUTC()), List.of(breaking), Metrics.inMemory(),
            Clock.systemUTC());
    private final EventProcessor events = new EventProcessor(db, new ProcessedEvents(), evaluator, new AlertStore(db.dialect()),
            new Quarantine(db), Metrics.inMemory(), Clock.systemUTC());

    @AfterEach
    void close() {
        db.close();
    }

    private void sql(String statement) {
        db.inTransaction(c -> {
            try (var s = c.createStatement()) {
                s.execute(statement);
            }
            return null;
        });
    }

    private long count(String sql) {
        return TestApp.count(db, sql);
    }

    @Test
    void markingTakenAndQuarantiningAreOneTransaction() {
        String raw = ConsumeOrderEventsTest.exportFailed("q-1", "900010");
        // the quarantine cannot be written: nothing of the event may be recorded, or its redelivery is a "duplicate"
        sql("ALTER TABLE quarantine RENAME TO quarantine_away");
        assertThrows(RuntimeException.class, () -> events.process(raw));
        sql("ALTER TABLE quarantine_away RENAME TO quarantine");
        assertEquals(0, count("SELECT COUNT(*) FROM processed_event WHERE event_id = 'q-1'"), "not marked taken without its quarantine row");

        assertEquals("quarantined", events.process(raw), "the redelivery is kept, not dropped as a duplicate");
        assertEquals(1, count("SELECT COUNT(*) FROM quarantine WHERE record_id = 'q-1'"));
        assertEquals(1, count("SELECT COUNT(*) FROM processed_event WHERE event_id = 'q-1'"));
        assertEquals("duplicate", events.process(raw), "once kept, a repeat has no further effect");
    }

    @Test
    void beforeTheLastDeliveryAFailureIsThrownForTheBrokerToRedeliver() {
        String raw = ConsumeOrderEventsTest.exportFailed("q-2", "900011");
        RuntimeException e = assertThrows(RuntimeException.class, () -> events.process(raw, 1, 3));
        assertTrue(e.getMessage().contains("failed on delivery 1 of 3"), e.getMessage());
        assertThrows(RuntimeException.class, () -> events.process(raw, 2, 3));
        assertEquals(0, count("SELECT COUNT(*) FROM quarantine"));
        assertEquals(0, count("SELECT COUNT(*) FROM processed_event"));
        assertEquals("quarantined", events.process(raw, 3, 3));
    }

    @Test
    void dataBorneStringsAreLoggedOnOneLine() {
        Logger logger = (Logger) LoggerFactory.getLogger(EventProcessor.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            String forged = "LOST\n2026-11-22 09:00:00 INFO  io.orderwatch.app.Orderwatch - all is well\r\u001b[2J";
            String raw = "{\"eventId\":\"e-\\n1\",\"type\":\"" + forged.replace("\n", "\\n").replace("\r", "\\r").replace("\u001b", "\\u001b")
                    + "\",\"occurredAt\":\"2026-11-22T09:20:05+03:00\",\"data\":{}}";
            assertEquals("quarantined", events.process(raw));
        } finally {
            logger.detachAppender(appender);
        }
        assertEquals(1, appender.list.size());
        String line = appender.list.get(0).getFormattedMessage();
        assertFalse(line.chars().anyMatch(Character::isISOControl), "one line, no control characters: " + line);
        assertTrue(line.contains("LOST\\n2026-11-22 09:00:00 INFO"), line);
        assertTrue(line.contains("\\u001b[2J"), line);
    }

    @Test
    void escapeKeepsPlainTextAndWritesControlCharactersAsEscapes() {
        assertEquals("Тверь, заказ 48231192", LogText.escape("Тверь, заказ 48231192"));
        assertEquals("a\\nb\\rc\\td\\u0000e\\u2028f\\\\n", LogText.escape("a\nb\rc\td\u0000e\u2028f\\n"));
        assertEquals("null", LogText.escape(null));
    }
}
