package io.orderwatch.notify;

import java.time.Duration;
import java.util.List;

/**
 * The settings a sink reads for itself (config/application.properties, bound to the environment). A
 * value that does not parse is a start-up problem naming the key.
 */
public interface SinkConfig {

    String get(String key, String fallback);

    Duration duration(String key, String fallback);

    int positiveInt(String key, int fallback);

    /** Every key that starts with the prefix, sorted. */
    List<String> keys(String prefix);
}
