package io.orderwatch.observe;

import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReadinessCheckTest {

    @Test
    void aDependencyThatDoesNotAnswerIsDownWithinTheWaitAndIsNotAskedTwiceAtOnce() throws Exception {
        CountDownLatch away = new CountDownLatch(1);
        AtomicInteger asked = new AtomicInteger();
        ReadinessCheck check = new ReadinessCheck("database", () -> {
            asked.incrementAndGet();
            try {
                away.await(); // a pool waiting for a connection to a database that is away
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Optional.empty();
        });
        long t = System.nanoTime();
        assertEquals(Optional.of("no answer within 2 s"), check.answer());
        assertEquals(Optional.of("no answer within 2 s"), check.answer());
        assertTrue(System.nanoTime() - t < 6_000_000_000L, "two checks in about 2 s each");
        assertEquals(1, asked.get(), "the running check is waited for, not started again");
        away.countDown();
        assertEquals(Optional.empty(), check.answer(), "back: up");
        assertEquals(Optional.of("database unavailable"), new ReadinessCheck("db", () -> Optional.of("database unavailable")).answer());
    }
}
