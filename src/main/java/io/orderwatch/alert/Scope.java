package io.orderwatch.alert;

import java.util.Set;

/**
 * What a set of findings speaks for. Every FIRING alert inside the scope that is not among the findings
 * has cleared and resolves; alerts outside the scope are left alone.
 *
 * @param kinds   the kinds that were evaluated (empty: findings only raise, nothing resolves)
 * @param orderId the order they were evaluated for, or null for every subject of those kinds
 */
public record Scope(Set<String> kinds, String orderId) {

    public Scope {
        kinds = Set.copyOf(kinds);
    }

    /** Findings that only raise or refresh alerts, as events do: nothing resolves because an event is silent. */
    public static Scope raiseOnly() {
        return new Scope(Set.of(), null);
    }

    public static Scope order(String orderId, Set<String> kinds) {
        return new Scope(kinds, orderId);
    }

    public static Scope allOf(Set<String> kinds) {
        return new Scope(kinds, null);
    }
}
