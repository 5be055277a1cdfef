package io.orderwatch.testing;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A stub peer holding one request, so that a test can act (kill orderwatch) at an exact point of a call:
 * {@link Point#BEFORE_EFFECT} the peer has the request but has done nothing yet (nothing is delivered);
 * {@link Point#BEFORE_ANSWER} it has done what was asked (the message is posted, the ticket created)
 * and its answer has not left. The stub's thread waits until {@link #release()}; a request released
 * before its effect is dropped without an answer, as by a peer whose client went away.
 */
public final class PeerHold {

    public enum Point { BEFORE_EFFECT, BEFORE_ANSWER }

    private final Point point;
    private final CountDownLatch reached = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    public PeerHold(Point point) {
        this.point = point;
    }

    public Point point() {
        return point;
    }

    /** Called by the stub at the point: signals the test and waits to be released (at most 5 minutes). */
    public void arrive() {
        reached.countDown();
        try {
            released.await(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True once a request reached the point, waiting up to {@code atMost} for it. */
    public boolean awaitReached(Duration atMost) throws InterruptedException {
        return reached.await(atMost.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean reached() {
        return reached.getCount() == 0;
    }

    /** Lets the held request go on (its answer then goes nowhere when its client was killed). */
    public void release() {
        released.countDown();
    }
}
