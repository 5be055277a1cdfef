package io.orderwatch.source;

import java.net.URI;
import java.time.Duration;

/**
 * How to reach the admin API. The token is never printed.
 *
 * @param maxAttempts attempts per request for transient failures (5xx, timeouts, refused connections)
 */
public record AdminApiSettings(URI baseUrl, String token, Duration connectTimeout, Duration readTimeout, int pageSize,
                               int maxAttempts, Duration backoff, Duration maxBackoff, Duration maxRetryAfter) {

    public boolean hasToken() {
        return token != null && !token.isBlank();
    }

    @Override
    public String toString() {
        return "AdminApiSettings[" + io.orderwatch.observe.LogText.mask(String.valueOf(baseUrl)) + ", token=" + (hasToken() ? "***" : "none") + ", pageSize=" + pageSize + "]";
    }
}
