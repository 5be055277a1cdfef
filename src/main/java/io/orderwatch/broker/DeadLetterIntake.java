package io.orderwatch.broker;

import io.orderwatch.store.Database;
import io.orderwatch.store.DeadLetters;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSContext;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * The broker's dead letters, kept where an operator can see them: collect-dead-letters takes each
 * message off the dead-letter queues into the {@code dead_letter} table; a replay sends it back to the
 * one queue it failed on (by its fully qualified name, so the other sinks do not get it again).
 */
public final class DeadLetterIntake {

    private final Database db;
    private final DeadLetters store;
    private final ConnectionFactory jms;
    private final Clock clock;

    public DeadLetterIntake(Database db, DeadLetters store, ConnectionFactory jms, Clock clock) {
        this.db = db;
        this.store = store;
        this.jms = jms;
        this.clock = clock;
    }

    /** Called by collect-dead-letters for each message, inside its JMS transaction. */
    public boolean collect(String body, Map<String, Object> headers) {
        String messageId = String.valueOf(headers.getOrDefault("JMSMessageID", "unknown-" + System.nanoTime()));
        String queue = String.valueOf(headers.getOrDefault("_AMQ_ORIG_QUEUE", "unknown"));
        String address = String.valueOf(headers.getOrDefault("_AMQ_ORIG_ADDRESS", queue));
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        return db.inTransaction(c -> store.collect(c, messageId, queue, address, body == null ? "" : body, now));
    }

    /** Sends a dead letter's payload back to the queue it failed on. */
    public void replay(DeadLetters.Message m) {
        try (JMSContext ctx = jms.createContext(JMSContext.AUTO_ACKNOWLEDGE)) {
            ctx.createProducer().setDeliveryMode(DeliveryMode.PERSISTENT)
                    .send(ctx.createQueue(BrokerTopology.fqqn(m.originAddress(), m.originQueue())), m.payload());
        }
    }
}
