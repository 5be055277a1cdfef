package io.orderwatch.broker;

import java.util.List;

/**
 * The broker's addresses and queues. Routing types are never mixed on one address.
 *
 * <ul>
 *   <li>{@code orders.events}: ANYCAST, one durable queue of the same name: the incoming event feed,
 *       written by outside producers with any protocol the broker accepts.</li>
 *   <li>{@code orderwatch.alerts}: MULTICAST, one durable queue per sink, so each sink consumes, retries
 *       and dead-letters on its own.</li>
 *   <li>{@code orderwatch.dead}: the dead-letter address; a queue {@code DLQ.<address>} per origin is
 *       created on first use, and each message keeps its original queue in {@code _AMQ_ORIG_QUEUE}.</li>
 * </ul>
 */
public final class BrokerTopology {

    public static final String EVENTS = "orders.events";
    public static final String ALERTS = "orderwatch.alerts";
    public static final String DEAD_LETTERS = "orderwatch.dead";
    public static final String DLQ_PREFIX = "DLQ.";

    public static final String SLACK_QUEUE = ALERTS + ".slack";
    public static final String EMAIL_QUEUE = ALERTS + ".email";
    public static final String TICKETS_QUEUE = ALERTS + ".tickets";
    public static final List<String> SINK_QUEUES = List.of(SLACK_QUEUE, EMAIL_QUEUE, TICKETS_QUEUE);

    /** Artemis duplicate-detection property: a second message with the same value is dropped. */
    public static final String DUPLICATE_ID = "_AMQ_DUPL_ID";

    private BrokerTopology() {}

    /** Fully qualified queue name, as a JMS queue name: {@code orderwatch.alerts::orderwatch.alerts.email}. */
    public static String fqqn(String address, String queue) {
        return address + "::" + queue;
    }

    /** The dead-letter queue that collects what failed on any queue of this address. */
    public static String deadLetterQueue(String address) {
        return DLQ_PREFIX + address;
    }
}
