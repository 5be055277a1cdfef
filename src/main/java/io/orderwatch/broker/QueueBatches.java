package io.orderwatch.broker;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A sink's intake from its own durable queue, several messages per transaction: what is waiting on the
 * queue (up to {@code max}) is taken in one broker transaction and handed to the sink in one call (one
 * database transaction); the broker transaction commits only after the sink's has. With H2's
 * WRITE_DELAY=0 every commit writes to the file, and a sink taking one message per commit kept up with
 * about 17 messages a second under load. A crash between the two commits redelivers what the sink has
 * already recorded, and the sink's view ignores a change it has seen: nothing lost, nothing twice.
 *
 * <p>A failure rolls the broker transaction back, so the broker redelivers with backoff and finally
 * dead-letters, as for a message taken alone. A redelivered message is never part of a batch: it ends
 * the take and is handed to the sink on its own, after the batch before it is recorded. So one bad
 * message fails alone (after at most one batch that held it) and reaches the dead letters by its own
 * attempts, while each message taken with it is redelivered at most once more and then finds itself
 * already recorded.
 *
 * <p>Called over and over by the sink's route (notify-slack, notify-tickets, notify-email); each call
 * waits up to {@code wait} for a message, so an idle queue costs no polling. The session is opened
 * on first use and after any failure (a broker restart): while the broker cannot be reached, calls
 * wait between attempts instead of failing as fast as they are made.
 */
public final class QueueBatches implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QueueBatches.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    /** What the sink does with several message bodies, in one database transaction of its own. */
    @FunctionalInterface
    public interface Batch {
        void acceptAll(List<String> bodies) throws Exception;
    }

    private final ConnectionFactory factory;
    private final String queue;
    private final int max;
    private final long waitMillis;
    private final Batch batch;
    private final Object pause = new Object();
    private JMSContext context;
    private JMSConsumer consumer;
    private long notBefore;
    private long backoffMillis;
    private volatile boolean closed;
    /** Set when the application begins to stop: a take in progress stops waiting, later ones take nothing. */
    private volatile boolean stopping;
    /** A take waits for its first message in slices of this long, so that it notices {@link #stopTaking()}. */
    private static final long SLICE_MILLIS = 200;

    /** @param queue the queue as {@code address::queue} (the sinks' queues share orderwatch.alerts) */
    public QueueBatches(ConnectionFactory factory, String queue, int max, Duration wait, Batch batch) {
        this.factory = factory;
        this.queue = queue;
        this.max = Math.max(1, max);
        this.waitMillis = Math.max(1, wait.toMillis());
        this.batch = batch;
    }

    /**
     * Takes what waits on the queue (up to the limit; at least one message, waiting for it up to the
     * configured time), hands it to the sink and commits. Throws, after rolling back, when the sink
     * or the broker fails.
     *
     * @return how many messages were taken
     */
    public synchronized int take() throws Exception {
        if (closed || stopping || !waitOutBackoff()) {
            return 0;
        }
        List<Message> taken = new ArrayList<>();
        try {
            if (consumer == null) {
                open();
            }
            List<String> fresh = new ArrayList<>();
            String redelivered = null;
            Message m = first();
            while (m != null) {
                taken.add(m);
                if (m.getJMSRedelivered()) {
                    redelivered = body(m);
                    break;
                }
                fresh.add(body(m));
                if (fresh.size() >= max) {
                    break;
                }
                m = consumer.receiveNoWait();
            }
            if (!fresh.isEmpty()) {
                batch.acceptAll(fresh);
            }
            if (redelivered != null) {
                batch.acceptAll(List.of(redelivered));
            }
            if (!taken.isEmpty()) {
                context.commit();
            }
            backoffMillis = 0;
            return taken.size();
        } catch (Exception | Error e) {
            failed(e, !taken.isEmpty());
            throw e;
        }
    }

    /** The first message, waited for up to the configured time in short slices, or null (none, or stopping). */
    private Message first() {
        long deadline = System.currentTimeMillis() + waitMillis;
        while (!stopping && !closed) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return null;
            }
            Message m = consumer.receive(Math.min(left, SLICE_MILLIS));
            if (m != null) {
                return m;
            }
        }
        return null;
    }

    /**
     * The application is stopping: the take in progress stops waiting within {@value #SLICE_MILLIS} ms and
     * later takes return at once, so Camel's shutdown does not wait (and say so once a second) on an
     * intake that is only waiting for messages. What was taken is still handed over and committed.
     */
    public void stopTaking() {
        stopping = true;
    }

    /** Returns once no take is in progress (after {@link #stopTaking()}: within a slice, or when the batch in hand is committed). */
    public void awaitTakes() {
        synchronized (this) {
            LOG.trace("{}: no take in progress", queue); // take() holds this monitor: entering it means the take in progress has returned
        }
    }

    private void open() {
        context = factory.createContext(JMSContext.SESSION_TRANSACTED);
        try {
            consumer = context.createConsumer(context.createQueue(queue));
        } catch (RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    private static String body(Message m) throws JMSException {
        String body = m.getBody(String.class);
        if (body == null) {
            throw new IllegalArgumentException("message " + m.getJMSMessageID() + " has no body");
        }
        return body;
    }

    /**
     * The sink or the broker failed: what was taken goes back to the broker (redelivered with its
     * backoff). A failure of the broker itself closes the session, opened again on the next call, and
     * the next calls wait a little first.
     */
    private void failed(Throwable e, boolean tookAny) {
        boolean brokerFailed = e instanceof JMSException || e instanceof jakarta.jms.JMSRuntimeException;
        if (context != null && tookAny) {
            try {
                context.rollback();
            } catch (RuntimeException r) {
                brokerFailed = true;
                LOG.debug("{}: rollback failed ({}); the session is opened again", queue, r.toString());
            }
        }
        if (brokerFailed || context == null) {
            closeQuietly();
            backoffMillis = backoffMillis == 0 ? 1000 : Math.min(backoffMillis * 2, MAX_BACKOFF.toMillis());
            notBefore = System.currentTimeMillis() + backoffMillis;
        }
    }

    /** False while the broker is being waited for (after a wait of at most the configured time). */
    private boolean waitOutBackoff() throws InterruptedException {
        long left = notBefore - System.currentTimeMillis();
        if (left <= 0) {
            return true;
        }
        synchronized (pause) {
            pause.wait(Math.min(left, waitMillis));
        }
        return !closed && notBefore - System.currentTimeMillis() <= 0;
    }

    private void closeQuietly() {
        JMSContext c = context;
        context = null;
        consumer = null;
        if (c != null) {
            try {
                c.close();
            } catch (RuntimeException e) {
                LOG.debug("{}: closing the session failed: {}", queue, e.toString());
            }
        }
    }

    /** Stops taking (a call in progress finishes its take); the session is closed. */
    @Override
    public void close() {
        closed = true;
        synchronized (pause) {
            pause.notifyAll();
        }
        synchronized (this) {
            closeQuietly();
        }
    }
}
