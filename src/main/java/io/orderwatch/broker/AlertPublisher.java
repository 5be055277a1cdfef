package io.orderwatch.broker;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Puts alert state changes on {@code orderwatch.alerts} (every sink's queue), persistent, each with its
 * event id as the broker's duplicate-detection id. A batch goes in one broker transaction: one durable
 * write for all of it, where a send each waited for its own (1,000 changes took as many journal syncs).
 * When this returns, every message of the batch is durably on the sinks' queues.
 *
 * <p>Artemis rolls back a whole transaction holding a duplicate, and a duplicate is what a re-send after
 * a crash between "sent" and "marked published" is: such a batch is then sent again one message at a
 * time outside a transaction, where the broker drops only the duplicates.
 */
public final class AlertPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(AlertPublisher.class);
    /** Artemis' duplicate-detection property. */
    public static final String DUPLICATE_ID = "_AMQ_DUPL_ID";

    /** One change to publish: its event id and its JSON. */
    public record Event(String eventId, String payload) {}

    private final ConnectionFactory factory;

    public AlertPublisher(ConnectionFactory factory) {
        this.factory = factory;
    }

    public void publish(List<Event> events) {
        if (events.isEmpty()) {
            return;
        }
        try (JMSContext ctx = factory.createContext(JMSContext.SESSION_TRANSACTED)) {
            try {
                send(ctx, events);
                ctx.commit();
                return;
            } catch (JMSRuntimeException e) {
                LOG.debug("{} alert events not committed as one transaction ({}); sent one by one", events.size(), e.toString());
                try {
                    ctx.rollback();
                } catch (JMSRuntimeException ignored) {
                    // the transaction is gone with the failure
                }
            }
        }
        try (JMSContext ctx = factory.createContext(JMSContext.AUTO_ACKNOWLEDGE)) {
            send(ctx, events);
        }
    }

    private static void send(JMSContext ctx, List<Event> events) {
        Topic alerts = ctx.createTopic(BrokerTopology.ALERTS);
        JMSProducer producer = ctx.createProducer().setDeliveryMode(DeliveryMode.PERSISTENT);
        for (Event e : events) {
            producer.setProperty(DUPLICATE_ID, e.eventId()).send(alerts, e.payload());
        }
    }
}
