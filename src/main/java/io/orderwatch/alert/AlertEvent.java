package io.orderwatch.alert;

import java.time.OffsetDateTime;

/**
 * A state change of an alert, as published to {@code orderwatch.alerts}: one message per change, with
 * {@code eventId} as the stable message id (the broker's duplicate detection is the second guard).
 *
 * @param eventId    stable id of this change: fingerprint, state and the change's sequence number
 * @param alert      the alert as it stands after the change
 * @param changedAt  when the change was recorded
 */
public record AlertEvent(String eventId, Alert alert, OffsetDateTime changedAt) {}
