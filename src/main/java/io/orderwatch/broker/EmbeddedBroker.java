package io.orderwatch.broker;

import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.FileConfiguration;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.utils.XMLUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The embedded Artemis. Its shape (addresses, queues, redelivery and dead-lettering, limits, the
 * producers' acceptor) is what config/broker.xml declares, the same file an external Artemis uses;
 * the file's {@code ${orderwatch.broker.*:default}} values are filled from {@link BrokerSettings}
 * (journal under {@code <data dir>/broker}, bind host, port, disk limit, redelivery). Added here, for
 * the process only: an in-VM acceptor for orderwatch itself and no JMX. With ORDERWATCH_BROKER_USER
 * set (start-up requires it when the bind host is not loopback) the broker requires that user and
 * ORDERWATCH_BROKER_PASSWORD of every client, orderwatch's own in-VM connections included; the user
 * has broker.xml's role {@code amq}. Without it, no security: only this host can reach it.
 */
public final class EmbeddedBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);
    /** Each embedded broker in this JVM gets its own in-VM acceptor id (tests run several). */
    private static final java.util.concurrent.atomic.AtomicInteger NEXT_IN_VM_ID = new java.util.concurrent.atomic.AtomicInteger();

    private final BrokerSettings settings;
    private final Path brokerXml;
    private final String inVmUrl = "vm://" + NEXT_IN_VM_ID.getAndIncrement();
    private EmbeddedActiveMQ server;

    /** @param brokerXml config/broker.xml of the orderwatch home */
    public EmbeddedBroker(BrokerSettings settings, Path brokerXml) {
        this.settings = settings;
        this.brokerXml = brokerXml;
    }

    public synchronized void start() throws Exception {
        if (server != null) {
            return;
        }
        Configuration c = configuration(settings, brokerXml, inVmUrl);
        EmbeddedActiveMQ s = new EmbeddedActiveMQ();
        s.setConfiguration(c);
        if (c.isSecurityEnabled()) {
            s.setSecurityManager(securityManager(settings));
        }
        s.start();
        server = s;
        description = "embedded, from " + brokerXml + ", journal in " + brokerDir(settings.dataDir()) + ", producers on " + describeAcceptors(c)
                + (c.isSecurityEnabled() ? ", ORDERWATCH_BROKER_USER's credentials required" : ", no credentials (this host only)");
        // said in orderwatch's one start-up line (Wiring.announce)
        LOG.debug("Embedded broker started: {}", description);
    }

    private String description = "embedded, not started";

    /** Where it is, for the start-up line: the file it came from, the journal, the producers' acceptor. */
    public synchronized String description() {
        return description;
    }

    static boolean secured(BrokerSettings settings) {
        return settings.user() != null && !settings.user().isBlank();
    }

    /** One user, the settings', with the role that config/broker.xml's security-settings permit everything. */
    private static org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager securityManager(BrokerSettings settings) {
        org.apache.activemq.artemis.core.config.impl.SecurityConfiguration users = new org.apache.activemq.artemis.core.config.impl.SecurityConfiguration();
        users.addUser(settings.user(), settings.password() == null ? "" : settings.password());
        users.addRole(settings.user(), "amq");
        return new org.apache.activemq.artemis.spi.core.security.ActiveMQJAASSecurityManager(
                org.apache.activemq.artemis.spi.core.security.jaas.InVMLoginModule.class.getName(), users);
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

    /** The running server, for tests and diagnostics; null when not started. */
    public synchronized org.apache.activemq.artemis.core.server.ActiveMQServer server() {
        return server == null ? null : server.getActiveMQServer();
    }

    /** The values config/broker.xml takes from the settings, by the names it uses. */
    static Map<String, String> values(BrokerSettings settings) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("orderwatch.broker.dir", brokerDir(settings.dataDir()).toAbsolutePath().toString());
        v.put("orderwatch.broker.bind-host", settings.bindHost());
        v.put("orderwatch.broker.port", Integer.toString(settings.port()));
        v.put("orderwatch.broker.max-disk-usage", Integer.toString(settings.maxDiskUsage()));
        v.put("orderwatch.broker.redelivery-delay-ms", Long.toString(settings.redeliveryDelay().toMillis()));
        v.put("orderwatch.broker.redelivery-multiplier", Double.toString(settings.redeliveryMultiplier()));
        v.put("orderwatch.broker.max-redelivery-delay-ms", Long.toString(settings.maxRedeliveryDelay().toMillis()));
        v.put("orderwatch.broker.max-delivery-attempts", Integer.toString(settings.maxDeliveryAttempts()));
        return v;
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(orderwatch\\.broker\\.[a-z-]+)(?::[^}]*)?}");

    /** Fills the file's orderwatch.broker.* placeholders, XML-escaped; a placeholder the settings do not know stays an error. */
    static String substitute(String xml, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(xml);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("config/broker.xml uses ${" + m.group(1) + "}, which the embedded broker does not set");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(escapeXml(value)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String escapeXml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&apos;");
    }

    static Configuration configuration(BrokerSettings settings, Path brokerXml, String inVmUrl) throws Exception {
        String xml;
        try {
            xml = Files.readString(brokerXml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException("cannot read the broker's configuration " + brokerXml.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        // then Artemis' own substitution (system properties), exactly as an external Artemis reads the file
        Element root = XMLUtil.stringToElement(XMLUtil.replaceSystemPropsInString(substitute(xml, values(settings))));
        NodeList core = root.getElementsByTagName("core");
        if (core.getLength() != 1) {
            throw new IllegalArgumentException(brokerXml + " has no <core> element");
        }
        FileConfiguration c = new FileConfiguration();
        XMLUtil.validate(core.item(0), c.getSchema());
        c.parse((Element) core.item(0), null);
        // the file is read once: a reload by Artemis would see the placeholders' defaults, not the settings
        c.setConfigurationUrl(null);
        c.setConfigurationFileRefreshPeriod(-1);
        c.setSecurityEnabled(secured(settings));
        c.setJMXManagementEnabled(false);
        c.setNodeManagerLockDirectory(brokerDir(settings.dataDir()).toAbsolutePath().toString());
        c.addAcceptorConfiguration("in-vm", inVmUrl);
        return c;
    }

    /** e.g. {@code tcp://127.0.0.1:61616 (CORE,AMQP,STOMP,OPENWIRE)}, for the start-up line. */
    static String describeAcceptors(Configuration c) {
        StringJoiner j = new StringJoiner(", ");
        for (TransportConfiguration t : c.getAcceptorConfigurations()) {
            Object host = t.getParams().get("host");
            Object port = t.getParams().get("port");
            if (host == null && port == null) {
                continue; // the in-VM acceptor
            }
            Object protocols = t.getParams().get("protocols");
            j.add(host + ":" + port + " (" + (protocols == null ? "all protocols" : protocols) + ")");
        }
        return j.toString();
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
