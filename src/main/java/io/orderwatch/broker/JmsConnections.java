package io.orderwatch.broker;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import org.apache.activemq.artemis.jms.client.ActiveMQConnection;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;

import java.util.Optional;

/**
 * orderwatch's connection to the broker: in-VM to the embedded broker, or the external URL with
 * reconnection, pooled for Camel's JMS producers and transacted consumers alike.
 */
public final class JmsConnections implements AutoCloseable {

    private final ActiveMQConnectionFactory target;
    private final JmsPoolConnectionFactory pool;

    /** To the external broker of the settings. */
    public JmsConnections(BrokerSettings settings) {
        this(settings, null);
    }

    /** To this embedded broker, in the JVM; or to the external one when {@code embedded} is null. */
    public JmsConnections(BrokerSettings settings, EmbeddedBroker embedded) {
        String url = embedded != null
                ? embedded.inVmUrl()
                : withDefaults(settings.externalUrl().trim());
        this.target = settings.user() == null || settings.user().isBlank()
                ? new ActiveMQConnectionFactory(url)
                : new ActiveMQConnectionFactory(url, settings.user(), settings.password());
        this.pool = new JmsPoolConnectionFactory();
        pool.setConnectionFactory(target);
        pool.setMaxConnections(2);
        pool.setMaxSessionsPerConnection(200);
    }

    /** Reconnect forever with capped backoff: an outage of the broker is waited out, not fatal. */
    static String withDefaults(String url) {
        String sep = url.contains("?") ? "&" : "?";
        StringBuilder b = new StringBuilder(url);
        if (!url.contains("reconnectAttempts")) {
            b.append(sep).append("reconnectAttempts=-1");
            sep = "&";
        }
        if (!url.contains("retryInterval")) {
            b.append(sep).append("retryInterval=1000&retryIntervalMultiplier=2&maxRetryInterval=30000");
            sep = "&";
        }
        if (!url.contains("callTimeout")) {
            b.append(sep).append("callTimeout=30000");
        }
        return b.toString();
    }

    public ConnectionFactory connectionFactory() {
        return pool;
    }

    /**
     * Readiness: empty while the broker is reachable, else the problem. One connection is kept for
     * this and reused; it is only replaced once it failed (a health check every few seconds does not
     * open and close a connection each time). While it reconnects, the broker counts as unavailable.
     */
    public synchronized Optional<String> problem() {
        if (health != null && healthLost == null) {
            return Optional.empty();
        }
        if (health != null && !healthDead) {
            return Optional.of("broker unavailable: " + healthLost);
        }
        closeHealth();
        try {
            Connection c = target.createConnection();
            if (c instanceof ActiveMQConnection amq) {
                // listeners run on the client's threads and take no lock: they only mark the state
                amq.setFailoverListener(event -> {
                    if (health != c) {
                        return;
                    }
                    switch (event) {
                        case FAILURE_DETECTED -> healthLost = "connection lost, reconnecting";
                        case FAILOVER_COMPLETED -> healthLost = null;
                        case FAILOVER_FAILED -> {
                            healthDead = true;
                            healthLost = "connection lost";
                        }
                    }
                });
            }
            c.setExceptionListener(e -> {
                if (health == c) {
                    healthDead = true;
                    healthLost = io.orderwatch.observe.Problems.oneLine(e);
                }
            });
            health = c;
            healthLost = null;
            healthDead = false;
            return Optional.empty();
        } catch (Exception e) {
            return Optional.of("broker unavailable: " + io.orderwatch.observe.LogText.mask(io.orderwatch.observe.Problems.oneLine(e)));
        }
    }

    private volatile Connection health;
    /** Why the health connection is not usable now; null while it is. */
    private volatile String healthLost;
    /** The health connection will not come back by itself: replace it. */
    private volatile boolean healthDead;

    private void closeHealth() {
        Connection c = health;
        health = null;
        healthLost = null;
        healthDead = false;
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                // it failed already; nothing more to release
            }
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closeHealth();
        }
        pool.stop();
        target.close();
    }
}
