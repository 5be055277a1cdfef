package io.orderwatch.notify.slack;

import io.orderwatch.alert.Alert;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which channel an alert goes to: the kind's channel, unless a rule for its chain or region says
 * otherwise. A chain rule wins over a region rule; a rule's empty channel turns Slack off for what it
 * matches. A kind with no channel is not posted.
 */
public final class SlackRouting {

    /** A rule: these kinds (empty = every kind), for these chains or regions (empty = any), go there. */
    public record Rule(String name, Set<String> kinds, Set<String> chains, Set<String> regions, String channel) {

        boolean matches(Alert a) {
            return (kinds.isEmpty() || kinds.contains(a.kind()))
                    && (chains.isEmpty() || (a.chainId() != null && chains.contains(a.chainId())))
                    && (regions.isEmpty() || (a.region() != null && regions.contains(a.region())));
        }

        int specificity() {
            return (chains.isEmpty() ? 0 : 4) + (regions.isEmpty() ? 0 : 2) + (kinds.isEmpty() ? 0 : 1);
        }
    }

    private final Map<String, String> byKind;
    private final List<Rule> rules;

    public SlackRouting(Map<String, String> byKind, List<Rule> rules) {
        this.byKind = Map.copyOf(byKind);
        List<Rule> sorted = new ArrayList<>(rules);
        sorted.sort(Comparator.comparingInt(Rule::specificity).reversed().thenComparing(Rule::name));
        this.rules = List.copyOf(sorted);
    }

    public Optional<String> channelFor(Alert a) {
        for (Rule r : rules) {
            if (r.matches(a)) {
                return r.channel().isBlank() ? Optional.empty() : Optional.of(r.channel());
            }
        }
        String channel = byKind.get(a.kind());
        return channel == null || channel.isBlank() ? Optional.empty() : Optional.of(channel);
    }

    public Map<String, String> byKind() {
        return byKind;
    }
}
