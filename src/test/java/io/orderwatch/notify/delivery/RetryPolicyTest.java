package io.orderwatch.notify.delivery;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(2), Duration.ofMinutes(10), Duration.ofHours(24));

    @Test
    void backoffDoublesWithJitterUpToTheCap() {
        for (int i = 0; i < 200; i++) {
            long first = policy.backoff(1, null).toMillis();
            assertTrue(first >= 1000 && first <= 2000, "first wait " + first);
            long fourth = policy.backoff(4, null).toMillis();
            assertTrue(fourth >= 8000 && fourth <= 16000, "fourth wait " + fourth);
            long late = policy.backoff(40, null).toMillis();
            assertTrue(late >= 300_000 && late <= 600_000, "capped wait " + late);
        }
    }

    @Test
    void retryAfterIsNeverShortened() {
        assertEquals(Duration.ofSeconds(30), policy.backoff(1, Duration.ofSeconds(30)));
        assertTrue(policy.backoff(12, Duration.ofSeconds(1)).toSeconds() >= 300, "a longer backoff wins over a short Retry-After");
    }

    @Test
    void givenUpOnlyAtTheMaximumAge() {
        assertFalse(policy.exhausted(Duration.ofHours(23).plusMinutes(59)));
        assertTrue(policy.exhausted(Duration.ofHours(24)));
    }
}
