package io.orderwatch.detect;

import io.orderwatch.alert.AlertBook;
import io.orderwatch.alert.AlertKind;
import io.orderwatch.alert.Finding;
import io.orderwatch.alert.Scope;
import io.orderwatch.source.AdminPoller;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * SOURCE_DOWN: the admin API has failed for longer than the configured time (the poller tells it
 * through {@link AdminPoller.SourceDownAlarm}). One alert per source;
 * it resolves when a poll succeeds again. Other alerts never resolve because their source is down:
 * nothing is evaluated on stale data meanwhile.
 */
public final class SourceDownDetector implements AdminPoller.SourceDownAlarm {

    private static final Set<String> KIND = Set.of(AlertKind.SOURCE_DOWN);

    private final AlertBook book;
    private final String source;

    public SourceDownDetector(AlertBook book, String source) {
        this.book = book;
        this.source = source;
    }

    @Override
    public void down(String problem, Instant since) {
        book.reconcile(Scope.raiseOnly(), List.of(new Finding(AlertKind.SOURCE_DOWN, source, null, null, null, null,
                since.atOffset(ZoneOffset.UTC), Map.of("source", source, "problem", problem))));
    }

    @Override
    public void up() {
        book.reconcile(Scope.allOf(KIND), List.of());
    }
}
