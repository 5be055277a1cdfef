package io.orderwatch.notify.delivery;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a transiently failed delivery is tried again: exponential backoff with jitter (half fixed, half
 * random), never sooner than the peer's Retry-After, and given up only once the delivery is older than
 * the maximum age.
 */
public record RetryPolicy(Duration initial, Duration max, Duration maxAge) {

    public RetryPolicy {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0 || maxAge.isNegative()) {
            throw new IllegalArgumentException("retry: initial > 0, max >= initial, max age >= 0");
        }
    }

    /** The wait after the given attempt (1 = the first) failed. */
    public Duration backoff(int attempt, Duration retryAfter) {
        long base = initial.toMillis();
        for (int i = 1; i < attempt && base < max.toMillis(); i++) {
            base *= 2;
        }
        base = Math.min(base, max.toMillis());
        long jittered = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
        Duration wait = Duration.ofMillis(jittered);
        return retryAfter != null && retryAfter.compareTo(wait) > 0 ? retryAfter : wait;
    }

    /** Whether a delivery created {@code age} ago has waited as long as it may. */
    public boolean exhausted(Duration age) {
        return age.compareTo(maxAge) >= 0;
    }
}
