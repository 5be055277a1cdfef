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
 * message off the dead-letter queues into the {@code dead_letter} table. A replay hands it straight to
 * the consumer of the queue it failed on when orderwatch has one (a sink's intake: only that sink gets
 * it, and the operator learns at once whether it now goes through); otherwise it is sent again, to
 * {@code orders.events} or to the address (the built-in sinks ignore a change they have seen).
 */
public final class DeadLetterIntake {

    private final Database db;
    private final DeadLetters store;
    private final ConnectionFactory jms;
    private final Clock clock;
    private final Map<String, Intake> intakes;

    /** The consumer of a queue, called with a message's body. */
    @FunctionalInterface
    public interface Intake {
        void accept(String body) throws Exception;
    }

    /** @param intakes by queue name: what consumes it ({@code orderwatch.alerts.slack} → the Slack sink's intake) */
    public DeadLetterIntake(Database db, DeadLetters store, ConnectionFactory jms, Clock clock, Map<String, Intake> intakes) {
        this.db = db;
        this.store = store;
        this.jms = jms;
        this.clock = clock;
        this.intakes = Map.copyOf(intakes);
    }

    /** Called by collect-dead-letters for each message, inside its JMS transaction. */
    public boolean collect(String body, Map<String, Object> headers) {
        String messageId = String.valueOf(headers.getOrDefault("JMSMessageID", "unknown-" + System.nanoTime()));
        String queue = String.valueOf(headers.getOrDefault("_AMQ_ORIG_QUEUE", "unknown"));
        String address = String.valueOf(headers.getOrDefault("_AMQ_ORIG_ADDRESS", queue));
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        return db.inTransaction(c -> store.collect(c, messageId, queue, address, body == null ? "" : body, now));
    }

    /** Gives a dead letter's payload another go; throws when its consumer still cannot process it. */
    public void replay(DeadLetters.Message m) throws Exception {
        Intake direct = intakes.get(m.originQueue());
        if (direct != null) {
            direct.accept(m.payload());
            return;
        }
        try (JMSContext ctx = jms.createContext(JMSContext.AUTO_ACKNOWLEDGE)) {
            ctx.createProducer().setDeliveryMode(DeliveryMode.PERSISTENT).send(BrokerTopology.ALERTS.equals(m.originAddress())
                    ? ctx.createTopic(m.originAddress()) : ctx.createQueue(m.originQueue()), m.payload());
        }
    }
}
