package io.orderwatch.broker;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
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

    /** Readiness: empty when a connection can be made to the broker now, else the problem. */
    public Optional<String> problem() {
        try (Connection c = target.createConnection()) {
            return Optional.empty();
        } catch (Exception e) {
            return Optional.of("broker unavailable: " + io.orderwatch.observe.Problems.oneLine(e));
        }
    }

    @Override
    public void close() {
        pool.stop();
        target.close();
    }
}
