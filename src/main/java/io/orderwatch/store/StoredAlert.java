package io.orderwatch.store;

import io.orderwatch.alert.Alert;

import java.time.OffsetDateTime;

/** An alert with its bookkeeping: the version bumped on every state change and when that change happened. */
public record StoredAlert(Alert alert, long version, OffsetDateTime changedAt) {}
