package io.orderwatch.notify.slack;

import io.orderwatch.alert.AlertKind;
import io.orderwatch.notify.SinkConfig;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The Slack sink's settings ({@code orderwatch.slack.*} in config/application.properties).
 *
 * @param token        SLACK_BOT_TOKEN; empty = every call goes to the outbox
 * @param groupWindow  alerts of one kind for one chain in one channel within this window share a message
 * @param maxLines     a grouped message lists this many alerts, then "и ещё N"
 * @param postPace     least time between two chat.postMessage calls on one channel
 * @param updatePace   least time between two chat.update calls on one channel
 */
public record SlackSettings(String token, String apiUrl, SlackRouting routing, Duration groupWindow, int maxLines, Duration postPace,
                            Duration updatePace, Duration timeout, int workers, String listLink) {

    /** The kinds' channels as the contract names them, each overridable. */
    static final Map<String, String> CHANNEL_KEYS = Map.of(
            AlertKind.ITEM_LINK_ERROR, "item-link",
            AlertKind.EXPORT_FAILED, "export",
            AlertKind.DELETED_STORE_ORDER, "deleted-store",
            AlertKind.STUCK_ORDER, "stuck",
            AlertKind.COMPOSITION_CHANGED, "composition",
            AlertKind.CITY_REQUEST, "city",
            AlertKind.SOURCE_DOWN, "ops",
            AlertKind.DELIVERY_FAILED, "ops",
            "TICKET_INCOMPLETE", "ops");
    static final Map<String, String> DEFAULT_CHANNELS = Map.of(
            "item-link", "#order-items-connections",
            "export", "#order-export-problems",
            "deleted-store", "#order-in-deleted-store",
            "ops", "#orderwatch-ops");

    public boolean outbox() {
        return token == null || token.isBlank();
    }

    public static SlackSettings from(SinkConfig c) {
        Map<String, String> byKind = new LinkedHashMap<>();
        CHANNEL_KEYS.forEach((kind, key) -> byKind.put(kind, c.get("orderwatch.slack.channel." + key, DEFAULT_CHANNELS.getOrDefault(key, ""))));
        // a kind added later (an integrator's) gets its channel as orderwatch.slack.kind.<KIND>
        for (String key : c.keys("orderwatch.slack.kind.")) {
            byKind.put(key.substring("orderwatch.slack.kind.".length()), c.get(key, ""));
        }
        return new SlackSettings(c.get("orderwatch.slack.token", ""), c.get("orderwatch.slack.api-url", "https://slack.com/api"),
                new SlackRouting(byKind, rules(c)), c.duration("orderwatch.slack.group-window", "10m"),
                c.positiveInt("orderwatch.slack.group-max-lines", 15), c.duration("orderwatch.slack.post-pace", "1s"),
                c.duration("orderwatch.slack.update-pace", "2s"), c.duration("orderwatch.slack.timeout", "15s"),
                c.positiveInt("orderwatch.slack.workers", 4), c.get("orderwatch.slack.list-link", ""));
    }

    /** orderwatch.slack.rule.<name>.kinds / .chains / .regions / .channel */
    static List<SlackRouting.Rule> rules(SinkConfig c) {
        Map<String, Map<String, String>> byName = new TreeMap<>();
        for (String key : c.keys("orderwatch.slack.rule.")) {
            String rest = key.substring("orderwatch.slack.rule.".length());
            int dot = rest.lastIndexOf('.');
            if (dot > 0) {
                byName.computeIfAbsent(rest.substring(0, dot), k -> new LinkedHashMap<>()).put(rest.substring(dot + 1), c.get(key, ""));
            }
        }
        return byName.entrySet().stream().map(e -> {
            Map<String, String> v = e.getValue();
            Set<String> chains = list(v.get("chains"));
            Set<String> regions = list(v.get("regions"));
            if (!v.containsKey("channel") || (chains.isEmpty() && regions.isEmpty())) {
                throw new IllegalArgumentException("orderwatch.slack.rule." + e.getKey()
                        + " needs .channel (empty = not posted) and .chains or .regions");
            }
            return new SlackRouting.Rule(e.getKey(), list(v.get("kinds")), chains, regions, v.get("channel"));
        }).toList();
    }

    private static Set<String> list(String csv) {
        if (csv == null || csv.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }
}
