package io.orderwatch.broker;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import java.util.List;

/**
 * Puts events on {@code orders.events}: all of a body in one broker transaction (all or none),
 * persistent. When {@link #enqueue} returns, the events are durably queued.
 *
 * <p>No broker duplicate-detection id here: Artemis rolls back a whole transaction that contains a
 * duplicate, so a sender's retry of a body it already delivered would be refused forever. A repeated
 * eventId is instead recognised where the event is processed (the processed_event table), which also
 * holds across restarts and for events from outside producers.
 */
public final class EventQueue {

    private final ConnectionFactory factory;

    public EventQueue(ConnectionFactory factory) {
        this.factory = factory;
    }

    /** @param events pairs of eventId and raw JSON */
    public void enqueue(List<String[]> events) throws JMSException {
        try (Connection c = factory.createConnection()) {
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            try {
                MessageProducer p = s.createProducer(s.createQueue(BrokerTopology.EVENTS));
                p.setDeliveryMode(DeliveryMode.PERSISTENT);
                for (String[] e : events) {
                    TextMessage m = s.createTextMessage(e[1]);
                    m.setStringProperty("eventId", e[0]);
                    p.send(m);
                }
                s.commit();
            } catch (JMSException | RuntimeException ex) {
                s.rollback();
                throw ex;
            }
        }
    }
}
