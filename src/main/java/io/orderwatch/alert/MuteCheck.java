package io.orderwatch.alert;

import java.time.Instant;

/** Tells whether an alert is silenced at a moment. A muted alert is recorded and listed, not delivered. */
@FunctionalInterface
public interface MuteCheck {

    boolean isMuted(Finding finding, Instant at);

    MuteCheck NONE = (finding, at) -> false;
}
