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
        assertTrue(System.nanoTime() - t < 3_500_000_000L, "the second call waits out the first's 2 s, not 2 s more");
        assertEquals(1, asked.get(), "the running check is waited for, not started again");
        away.countDown();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> check.answer().isEmpty()); // back: up
        assertEquals(Optional.of("database unavailable"), new ReadinessCheck("db", () -> Optional.of("database unavailable")).answer());
    }

    @Test
    void checksOfOneGroupAreWaitedForTogetherAndEachRequestAsksAgain() {
        CountDownLatch away = new CountDownLatch(1);
        AtomicInteger asked = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean gone = new java.util.concurrent.atomic.AtomicBoolean();
        ReadinessCheck.Group group = new ReadinessCheck.Group();
        java.util.List<ReadinessCheck> checks = new java.util.ArrayList<>();
        for (String id : new String[] {"broker", "database", "admin-api"}) {
            checks.add(new ReadinessCheck(id, () -> {
                asked.incrementAndGet();
                try {
                    if (gone.get()) {
                        away.await(); // all three away, as when the host lost its network
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Optional.empty();
            }, group));
        }
        for (ReadinessCheck c : checks) { // a request while all is well
            assertEquals(Optional.empty(), c.answer());
        }
        assertEquals(3, asked.get());
        gone.set(true); // and the next request right after it, when all three have gone away
        assertEquals(Optional.of("no answer within 2 s"), checks.get(0).answer()); // as Camel asks them: one after another
        for (ReadinessCheck c : checks.subList(1, 3)) {
            long t = System.nanoTime();
            assertEquals(Optional.of("no answer within 2 s"), c.answer());
            long ms = (System.nanoTime() - t) / 1_000_000;
            assertTrue(ms < 1_000, "the first one's wait was theirs too, not another 2 s: " + ms + " ms");
        }
        assertEquals(6, asked.get(), "each dependency asked once a request");
        away.countDown();

        AtomicInteger answers = new AtomicInteger();
        ReadinessCheck.Group quick = new ReadinessCheck.Group();
        ReadinessCheck a = new ReadinessCheck("a", () -> {
            answers.incrementAndGet();
            return Optional.of("a is down");
        }, quick);
        ReadinessCheck b = new ReadinessCheck("b", () -> {
            answers.incrementAndGet();
            return Optional.empty();
        }, quick);
        for (int request = 1; request <= 3; request++) {
            assertEquals(Optional.of("a is down"), a.answer());
            assertEquals(Optional.empty(), b.answer());
            assertEquals(2 * request, answers.get(), "every request asks each dependency once: none answers from an earlier request");
        }
    }
}
