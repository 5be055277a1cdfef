package io.orderwatch.notify.delivery;

import java.time.Duration;

/** What a peer made of one delivery attempt. */
public sealed interface Outcome {

    /** The peer has it; {@code peerRef} is its reference (Slack channel id and ts, Message-ID, ticket id). */
    record Sent(String peerRef) implements Outcome {}

    /**
     * It did not take. A transient failure (timeout, 5xx, 429, a rate limit) is tried again with backoff,
     * never sooner than {@code retryAfter} when the peer said so; a permanent one (bad token, no such
     * channel, a 400) stops at once. {@code maybeDelivered}: the peer may have acted on it all the same
     * (a timeout after the request went out), so the next attempt first asks the peer.
     */
    record Failed(boolean permanent, String error, Duration retryAfter, boolean maybeDelivered) implements Outcome {

        public static Failed transientFailure(String error) {
            return new Failed(false, error, null, false);
        }

        public static Failed transientFailure(String error, Duration retryAfter) {
            return new Failed(false, error, retryAfter, false);
        }

        /**
         * No answer, or a 5xx: it may have been done. {@code settle}: how long the peer may still be
         * acting on it (a request that timed out may still complete), so the check comes after that.
         */
        public static Failed inDoubt(String error, Duration settle) {
            return new Failed(false, error, settle, true);
        }

        public static Failed permanentFailure(String error) {
            return new Failed(true, error, null, false);
        }

        /** As the ledger records it: permanent, transient, or in-doubt. */
        public String kind() {
            return permanent ? "permanent" : maybeDelivered ? "in-doubt" : "transient";
        }
    }
}
