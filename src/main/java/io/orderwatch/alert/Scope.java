package io.orderwatch.alert;

import java.time.OffsetDateTime;
import java.util.Set;

/**
 * What a set of findings speaks for. Every FIRING alert inside the scope that is not among the findings
 * has cleared and resolves; alerts outside the scope are left alone.
 *
 * @param kinds       the kinds that were evaluated (empty: findings only raise, nothing resolves)
 * @param orderId     the order they were evaluated for, or null for every subject of those kinds
 * @param evidenceAt  when the data the findings come from was written, or null when it does not matter
 * @param laterKinds  kinds whose alerts may be reported after that data was written (by an event): one
 *                    that began after {@code evidenceAt} is not resolved by it
 */
public record Scope(Set<String> kinds, String orderId, OffsetDateTime evidenceAt, Set<String> laterKinds) {

    public Scope {
        kinds = Set.copyOf(kinds);
        laterKinds = Set.copyOf(laterKinds);
    }

    /** Findings that only raise or refresh alerts, as events do: nothing resolves because an event is silent. */
    public static Scope raiseOnly() {
        return new Scope(Set.of(), null, null, Set.of());
    }

    public static Scope order(String orderId, Set<String> kinds) {
        return new Scope(kinds, orderId, null, Set.of());
    }

    public static Scope allOf(Set<String> kinds) {
        return new Scope(kinds, null, null, Set.of());
    }

    /**
     * The same scope, for findings from data written at {@code evidenceAt}: an alert of one of
     * {@code laterKinds} that began after it was reported later (by an event) and is not resolved here.
     */
    public Scope writtenAt(OffsetDateTime evidenceAt, Set<String> laterKinds) {
        return new Scope(kinds, orderId, evidenceAt, laterKinds);
    }

    /** Whether the absence of a finding for this alert says it cleared. */
    boolean resolves(Alert a) {
        return evidenceAt == null || !laterKinds.contains(a.kind()) || a.startedAt() == null || !a.startedAt().isAfter(evidenceAt);
    }
}
