package io.orderwatch.broker;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.CoreAddressConfiguration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;

/**
 * The embedded Artemis: persistent journal under {@code <data dir>/broker}, an in-VM acceptor for
 * orderwatch itself and a TCP acceptor for outside producers (CORE, AMQP, STOMP). Addresses, queues,
 * redelivery and dead-lettering follow {@link BrokerTopology}; config/broker.xml says the same for an
 * external broker.
 */
public final class EmbeddedBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);
    /** Each embedded broker in this JVM gets its own in-VM acceptor id (tests run several). */
    private static final java.util.concurrent.atomic.AtomicInteger NEXT_IN_VM_ID = new java.util.concurrent.atomic.AtomicInteger();

    private final BrokerSettings settings;
    private final String inVmUrl = "vm://" + NEXT_IN_VM_ID.getAndIncrement();
    private EmbeddedActiveMQ server;

    public EmbeddedBroker(BrokerSettings settings) {
        this.settings = settings;
    }

    public synchronized void start() throws Exception {
        if (server != null) {
            return;
        }
        EmbeddedActiveMQ s = new EmbeddedActiveMQ();
        s.setConfiguration(configuration(settings, inVmUrl));
        s.start();
        server = s;
        LOG.info("Embedded broker started: journal in {}, producers on port {} (CORE, AMQP, STOMP)",
                brokerDir(settings.dataDir()), settings.port());
    }

    public synchronized boolean isActive() {
        return server != null && server.getActiveMQServer() != null && server.getActiveMQServer().isActive();
    }

    static Path brokerDir(Path dataDir) {
        return dataDir.resolve("broker");
    }

    /** Where orderwatch itself connects, inside the JVM. */
    public String inVmUrl() {
        return inVmUrl;
    }

    static Configuration configuration(BrokerSettings settings, String inVmUrl) throws Exception {
        Path dir = brokerDir(settings.dataDir()).toAbsolutePath();
        ConfigurationImpl c = new ConfigurationImpl();
        c.setName("orderwatch");
        c.setPersistenceEnabled(true);
        c.setSecurityEnabled(false);
        c.setJMXManagementEnabled(false);
        c.setJournalType(JournalType.NIO);
        c.setBindingsDirectory(dir.resolve("bindings").toString());
        c.setJournalDirectory(dir.resolve("journal").toString());
        c.setPagingDirectory(dir.resolve("paging").toString());
        c.setLargeMessagesDirectory(dir.resolve("large-messages").toString());
        c.setNodeManagerLockDirectory(dir.toString());
        c.setMaxDiskUsage(settings.maxDiskUsage());
        c.setPersistIDCache(true);
        c.setIDCacheSize(50_000);
        c.addAcceptorConfiguration("in-vm", inVmUrl);
        c.addAcceptorConfiguration("producers", "tcp://" + settings.bindHost() + ":" + settings.port()
                + "?protocols=CORE,AMQP,STOMP,OPENWIRE");

        AddressSettings retry = new AddressSettings()
                .setDeadLetterAddress(SimpleString.of(BrokerTopology.DEAD_LETTERS))
                .setAutoCreateDeadLetterResources(true)
                .setDeadLetterQueuePrefix(SimpleString.of(BrokerTopology.DLQ_PREFIX))
                // nothing is sent with a time-to-live; should anything expire, it is kept, not dropped
                .setExpiryAddress(SimpleString.of(BrokerTopology.DEAD_LETTERS))
                .setRedeliveryDelay(settings.redeliveryDelay().toMillis())
                .setRedeliveryMultiplier(settings.redeliveryMultiplier())
                .setMaxRedeliveryDelay(settings.maxRedeliveryDelay().toMillis())
                .setMaxDeliveryAttempts(settings.maxDeliveryAttempts());
        c.addAddressSetting("#", retry);
        // the dead-letter address itself never dead-letters again, and keeps everything
        c.addAddressSetting(BrokerTopology.DEAD_LETTERS, new AddressSettings()
                .setMaxDeliveryAttempts(-1)
                .setAutoCreateDeadLetterResources(false));

        c.addAddressConfiguration(new CoreAddressConfiguration()
                .setName(BrokerTopology.EVENTS)
                .addRoutingType(RoutingType.ANYCAST)
                .addQueueConfiguration(QueueConfiguration.of(BrokerTopology.EVENTS)
                        .setAddress(BrokerTopology.EVENTS).setRoutingType(RoutingType.ANYCAST).setDurable(true)));
        CoreAddressConfiguration alerts = new CoreAddressConfiguration()
                .setName(BrokerTopology.ALERTS)
                .addRoutingType(RoutingType.MULTICAST);
        for (String queue : BrokerTopology.SINK_QUEUES) {
            alerts.addQueueConfiguration(QueueConfiguration.of(queue)
                    .setAddress(BrokerTopology.ALERTS).setRoutingType(RoutingType.MULTICAST).setDurable(true));
        }
        c.addAddressConfiguration(alerts);
        // declared, not left to auto-creation, so that collect-dead-letters can consume them from the start
        CoreAddressConfiguration dead = new CoreAddressConfiguration()
                .setName(BrokerTopology.DEAD_LETTERS)
                .addRoutingType(RoutingType.MULTICAST);
        for (String origin : List.of(BrokerTopology.ALERTS, BrokerTopology.EVENTS)) {
            dead.addQueueConfiguration(QueueConfiguration.of(BrokerTopology.deadLetterQueue(origin))
                    .setAddress(BrokerTopology.DEAD_LETTERS).setRoutingType(RoutingType.MULTICAST).setDurable(true)
                    .setFilterString("_AMQ_ORIG_ADDRESS = '" + origin + "'"));
        }
        c.addAddressConfiguration(dead);
        return c;
    }

    @Override
    public synchronized void close() throws Exception {
        if (server != null) {
            try {
                server.stop();
                LOG.info("Embedded broker stopped");
            } finally {
                server = null;
            }
        }
    }
}
