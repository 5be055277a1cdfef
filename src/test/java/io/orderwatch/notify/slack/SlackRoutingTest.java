package io.orderwatch.notify.slack;

import io.orderwatch.alert.Alert;
import io.orderwatch.alert.AlertState;
import io.orderwatch.notify.SinkConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

public class SlackRoutingTest {

    public static SinkConfig config(Map<String, String> values) {
        TreeMap<String, String> v = new TreeMap<>(values);
        return new SinkConfig() {
            @Override
            public String get(String key, String fallback) {
                String s = v.get(key);
                return s == null || s.isBlank() ? fallback : s.trim();
            }

            @Override
            public Duration duration(String key, String fallback) {
                return io.orderwatch.detect.StuckLimits.parseDuration(get(key, fallback), key);
            }

            @Override
            public int positiveInt(String key, int fallback) {
                return Integer.parseInt(get(key, String.valueOf(fallback)));
            }

            @Override
            public List<String> keys(String prefix) {
                return v.keySet().stream().filter(k -> k.startsWith(prefix)).toList();
            }
        };
    }

    static Alert alert(String kind, String chain, String region) {
        return new Alert(kind + ":1", kind, AlertState.FIRING, false, "1", "st-1", chain, region, null, null, null, null, Map.of());
    }

    @Test
    void theTeamsChannelsByDefaultAndEmailsKindsOff() {
        SlackRouting r = SlackSettings.from(config(Map.of())).routing();
        assertEquals(Optional.of("#order-export-problems"), r.channelFor(alert("EXPORT_FAILED", "ch-a", "Москва")));
        assertEquals(Optional.of("#order-items-connections"), r.channelFor(alert("ITEM_LINK_ERROR", "ch-a", "Москва")));
        assertEquals(Optional.of("#order-in-deleted-store"), r.channelFor(alert("DELETED_STORE_ORDER", "ch-a", "Москва")));
        assertEquals(Optional.of("#orderwatch-ops"), r.channelFor(alert("SOURCE_DOWN", null, null)));
        assertEquals(Optional.of("#orderwatch-ops"), r.channelFor(alert("DELIVERY_FAILED", null, null)));
        assertEquals(Optional.empty(), r.channelFor(alert("STUCK_ORDER", "ch-a", "Москва")));
        assertEquals(Optional.empty(), r.channelFor(alert("COMPOSITION_CHANGED", "ch-a", "Москва")));
        assertEquals(Optional.empty(), r.channelFor(alert("CITY_REQUEST", null, null)));
        assertEquals(Optional.empty(), r.channelFor(alert("PRICE_SPIKE", "ch-a", null)));
    }

    @Test
    void chainRulesWinOverRegionRulesWhichWinOverTheKind() {
        SlackRouting r = SlackSettings.from(config(Map.of(
                "orderwatch.slack.channel.stuck", "#stuck",
                "orderwatch.slack.kind.PRICE_SPIKE", "#prices",
                "orderwatch.slack.rule.nevis.chains", "ch-nevis",
                "orderwatch.slack.rule.nevis.kinds", "EXPORT_FAILED",
                "orderwatch.slack.rule.nevis.channel", "#nevis",
                "orderwatch.slack.rule.east.regions", "Приморский край, Хабаровский край",
                "orderwatch.slack.rule.east.channel", "#east",
                "orderwatch.slack.rule.quiet.chains", "ch-own",
                "orderwatch.slack.rule.quiet.channel", ""))).routing();
        assertEquals(Optional.of("#nevis"), r.channelFor(alert("EXPORT_FAILED", "ch-nevis", "Приморский край")));
        assertEquals(Optional.of("#east"), r.channelFor(alert("ITEM_LINK_ERROR", "ch-nevis", "Приморский край")));
        assertEquals(Optional.of("#east"), r.channelFor(alert("EXPORT_FAILED", "ch-x", "Хабаровский край")));
        assertEquals(Optional.of("#order-export-problems"), r.channelFor(alert("EXPORT_FAILED", "ch-x", "Москва")));
        assertEquals(Optional.empty(), r.channelFor(alert("EXPORT_FAILED", "ch-own", "Москва")), "an empty channel turns Slack off");
        assertEquals(Optional.of("#stuck"), r.channelFor(alert("STUCK_ORDER", "ch-x", "Москва")));
        assertEquals(Optional.of("#prices"), r.channelFor(alert("PRICE_SPIKE", "ch-x", "Москва")), "a kind added later");
    }

    @Test
    void aRuleWithoutChainsOrRegionsIsAStartUpProblem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SlackSettings.from(config(Map.of("orderwatch.slack.rule.bad.channel", "#x"))));
        assertEquals("orderwatch.slack.rule.bad needs .channel (empty = not posted) and .chains or .regions", e.getMessage());
    }
}
