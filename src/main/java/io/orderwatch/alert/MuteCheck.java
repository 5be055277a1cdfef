package io.orderwatch.alert;

import java.time.Instant;

/** Tells whether an alert is silenced at a moment. A muted alert is recorded and listed, not delivered. */
@FunctionalInterface
public interface MuteCheck {

    boolean isMuted(Finding finding, Instant at);

    /**
     * What mutes at a moment, as a value: equal values mute exactly the same alerts (e.g. a digest of
     * the silences in force). Lets the alert book skip re-applying silences that did not change.
     */
    default String stateAt(Instant at) {
        return "";
    }

    MuteCheck NONE = (finding, at) -> false;
}
