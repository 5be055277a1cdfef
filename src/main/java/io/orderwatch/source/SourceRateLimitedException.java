package io.orderwatch.source;

import java.time.Instant;

/**
 * The admin API answered 429, or asked earlier to wait until a time not reached yet. A failed poll like
 * any other (it counts towards SOURCE_DOWN), but one that ends at once: nothing waits on the poller's
 * thread, and the API is not called again before {@link #notBefore()}.
 */
public final class SourceRateLimitedException extends SourceUnavailableException {

    private final transient Instant notBefore;

    public SourceRateLimitedException(String message, Instant notBefore) {
        super(message, null);
        this.notBefore = notBefore;
    }

    public Instant notBefore() {
        return notBefore;
    }
}
