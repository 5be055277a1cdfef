package io.orderwatch.source;

import java.net.URI;
import java.time.Duration;

/**
 * How to reach the admin API. The token is never printed.
 *
 * @param maxAttempts  attempts per request for transient failures (5xx, timeouts, refused connections)
 * @param maxPageBytes a page longer than this is a broken page (one that never ends is cut off here)
 * @param maxPageTime  a page not read whole within this is a broken page, however steadily it arrives
 */
public record AdminApiSettings(URI baseUrl, String token, Duration connectTimeout, Duration readTimeout, int pageSize,
                               int maxAttempts, Duration backoff, Duration maxBackoff, Duration maxRetryAfter,
                               long maxPageBytes, Duration maxPageTime) {

    public static final long DEFAULT_MAX_PAGE_BYTES = 64L << 20;
    public static final Duration DEFAULT_MAX_PAGE_TIME = Duration.ofMinutes(5);

    /** With the default page limits (64 MiB, 5 minutes). */
    public AdminApiSettings(URI baseUrl, String token, Duration connectTimeout, Duration readTimeout, int pageSize,
                            int maxAttempts, Duration backoff, Duration maxBackoff, Duration maxRetryAfter) {
        this(baseUrl, token, connectTimeout, readTimeout, pageSize, maxAttempts, backoff, maxBackoff, maxRetryAfter,
                DEFAULT_MAX_PAGE_BYTES, DEFAULT_MAX_PAGE_TIME);
    }

    public boolean hasToken() {
        return token != null && !token.isBlank();
    }

    @Override
    public String toString() {
        return "AdminApiSettings[" + io.orderwatch.observe.LogText.mask(String.valueOf(baseUrl)) + ", token=" + (hasToken() ? "***" : "none") + ", pageSize=" + pageSize + "]";
    }
}
