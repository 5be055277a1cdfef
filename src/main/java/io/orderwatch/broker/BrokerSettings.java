package io.orderwatch.broker;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where the broker is: embedded (journal under {@code <data dir>/broker}, outside producers on
 * {@code port}) unless {@code externalUrl} names an Artemis, and how failed deliveries are retried.
 */
public record BrokerSettings(String externalUrl, String user, String password, int port, String bindHost, Path dataDir,
                             Duration redeliveryDelay, double redeliveryMultiplier, Duration maxRedeliveryDelay,
                             int maxDeliveryAttempts, int maxDiskUsage) {

    public boolean embedded() {
        return externalUrl == null || externalUrl.isBlank();
    }

    /** One line naming the variable when the settings cannot work, else empty. */
    public Optional<String> problem() {
        if (!embedded()) {
            String url = externalUrl.trim();
            // one URL, or Artemis' list of servers for HA: (tcp://a:61616,tcp://b:61616)?ha=true
            String servers = url.startsWith("(") && url.indexOf(')') > 0 ? url.substring(1, url.indexOf(')')) : url;
            for (String server : servers.split(",")) {
                if (!validServer(server.trim())) {
                    return Optional.of("ORDERWATCH_BROKER_URL is not a valid broker URL such as tcp://artemis:61616, got \"" + io.orderwatch.observe.LogText.mask(url) + "\"");
                }
            }
        }
        if (maxDeliveryAttempts < 1) {
            return Optional.of("orderwatch.broker.max-delivery-attempts must be at least 1");
        }
        if (maxDiskUsage < -1 || maxDiskUsage > 100) {
            return Optional.of("orderwatch.broker.max-disk-usage must be -1 (off) or 0..100");
        }
        return Optional.empty();
    }

    private static boolean validServer(String server) {
        try {
            URI uri = new URI(server);
            String scheme = uri.getScheme();
            return scheme != null && (scheme.equals("tcp") || scheme.equals("ssl") || scheme.equals("vm"))
                    && (scheme.equals("vm") || (uri.getHost() != null && uri.getPort() >= 1));
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "BrokerSettings[" + (embedded() ? "embedded, port " + port : io.orderwatch.observe.LogText.mask(externalUrl)) + "]";
    }
}
