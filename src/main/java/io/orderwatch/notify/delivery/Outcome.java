package io.orderwatch.notify.delivery;

import java.time.Duration;

/** What a peer made of one delivery attempt. */
public sealed interface Outcome {

    /** The peer has it; {@code peerRef} is its reference (Slack channel id and ts, Message-ID, ticket id). */
    record Sent(String peerRef) implements Outcome {}

    /**
     * It did not take. A transient failure (timeout, 5xx, 429, a rate limit) is tried again with backoff,
     * never sooner than {@code retryAfter} when the peer said so; a permanent one (bad token, no such
     * channel, a 400) stops at once.
     */
    record Failed(boolean permanent, String error, Duration retryAfter) implements Outcome {

        public static Failed transientFailure(String error) {
            return new Failed(false, error, null);
        }

        public static Failed transientFailure(String error, Duration retryAfter) {
            return new Failed(false, error, retryAfter);
        }

        public static Failed permanentFailure(String error) {
            return new Failed(true, error, null);
        }

        public String kind() {
            return permanent ? "permanent" : "transient";
        }
    }
}
