package io.orderwatch.notify.tickets;

import io.orderwatch.alert.Alert;
import io.orderwatch.model.Order;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One escalation rule (orderwatch.tickets.rule.&lt;name&gt;.*): which alerts (kinds, the stuck reason,
 * delivery types, statuses, chains, regions; an empty set matches all), after how long counted from the
 * alert's startedAt (a fixed time, or a multiple of the status limit the alert carries), and what ticket.
 */
public record TicketRule(String name, Set<String> kinds, Set<String> reasons, Set<String> deliveryTypes, Set<String> statuses,
                         Set<String> chains, Set<String> regions, Duration after, double limitFactor, TicketTemplate template,
                         String category, String priority, List<String> tags, String usedeskType) {

    public static final List<String> PRIORITIES = List.of("low", "normal", "high", "urgent");

    public boolean matches(Alert a, Order order) {
        String type = order != null && order.deliveryType() != null ? order.deliveryType().name() : str(a.details().get("deliveryType"));
        String status = order != null && order.status() != null ? order.status().name() : str(a.details().get("status"));
        return in(kinds, a.kind()) && in(reasons, str(a.details().get("reason"))) && in(deliveryTypes, type) && in(statuses, status)
                && in(chains, a.chainId()) && in(regions, a.region());
    }

    /** When the ticket is due: startedAt plus the wait; empty when the alert does not say enough to tell. */
    public Optional<OffsetDateTime> dueAt(Alert a) {
        if (a.startedAt() == null) {
            return Optional.empty();
        }
        if (after != null) {
            return Optional.of(a.startedAt().plus(after));
        }
        if (a.details().get("limitMinutes") instanceof Number n) {
            return Optional.of(a.startedAt().plus(Duration.ofSeconds(Math.round(n.doubleValue() * 60 * limitFactor))));
        }
        return Optional.empty();
    }

    private static boolean in(Set<String> allowed, String value) {
        return allowed.isEmpty() || value != null && allowed.contains(value);
    }

    private static String str(Object o) {
        return o == null ? null : String.valueOf(o);
    }
}
