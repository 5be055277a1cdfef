package io.orderwatch.app;

import io.orderwatch.notify.slack.SlackStub;
import io.orderwatch.notify.tickets.HelpdeskStub;
import io.orderwatch.testing.AdminStub;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A fan-out that can be counted: export failures of orders each in a pharmacy of a chain of its own, so
 * that each is one alert, one Slack post in #order-export-problems (no two share a chain's message) and
 * one ticket (rule export-failed, after 1 minute). What the stubs received is checked against what was
 * detected: every alert there, none twice.
 */
final class FanOutTally {

    static final String CHANNEL = "#order-export-problems";

    private FanOutTally() {}

    /**
     * Pharmacies st-0 … st-(count-1), each of a chain of its own (ch-i). Set before orderwatch starts: an
     * order polled before its pharmacy is known has no chain yet, and such orders share one Slack message.
     */
    static void pharmacies(AdminStub admin, int count) {
        OffsetDateTime t = OffsetDateTime.now().minusHours(1);
        for (int i = 0; i < count; i++) {
            admin.store("st-" + i, "ch-" + i, "Сеть " + i, "ACTIVE", t);
        }
    }

    /** Orders {@code 48240000 + from ...}, each failing to export, in pharmacy st-i (see {@link #pharmacies}); their fingerprints. */
    static List<String> exportFailures(AdminStub admin, int from, int count) {
        OffsetDateTime now = OffsetDateTime.now();
        List<String> fingerprints = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            String id = String.valueOf(48240000 + i);
            admin.order(id, "st-" + i, "FAILED", null, now);
            fingerprints.add("EXPORT_FAILED:" + id);
        }
        return fingerprints;
    }

    /** The Slack and helpdesk stubs as the sinks' peers; quick paces, tickets for export failures only, a minute after they began. */
    static Properties withSinks(Properties p, SlackStub slack, HelpdeskStub helpdesk) {
        p.setProperty("orderwatch.slack.token", "xoxb-test-token");
        p.setProperty("orderwatch.slack.api-url", slack.url());
        // ISO-8601: the short form (90s, 45m) has no milliseconds
        p.setProperty("orderwatch.slack.post-pace", "PT0.1S");
        p.setProperty("orderwatch.slack.update-pace", "PT0.2S");
        p.setProperty("orderwatch.helpdesk.kind", "reference");
        p.setProperty("orderwatch.helpdesk.url", helpdesk.url());
        p.setProperty("orderwatch.helpdesk.token", "hd-secret");
        p.setProperty("orderwatch.tickets.pace", "PT0.1S");
        p.setProperty("orderwatch.tickets.escalate-ms", "1000");
        p.setProperty("orderwatch.tickets.rules", "export-failed");
        p.setProperty("orderwatch.tickets.rule.export-failed.after", "1m");
        p.setProperty("orderwatch.delivery.retry-initial", "1s");
        return p;
    }

    /**
     * Waits until both stubs have as many as were detected and nothing is left to publish or deliver;
     * when that does not come, fails with where each alert got to.
     */
    static void awaitDelivered(io.orderwatch.store.Database db, SlackStub slack, HelpdeskStub helpdesk, int detected, java.time.Duration atMost) {
        try {
            org.awaitility.Awaitility.await().atMost(atMost).until(() -> helpdesk.tickets().size() >= detected && posts(slack).size() >= detected
                    && TestApp.count(db, "SELECT COUNT(*) FROM alert_event WHERE published_at IS NULL") == 0
                    && TestApp.count(db, "SELECT COUNT(*) FROM delivery WHERE state <> 'SENT'") == 0);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            fail(detected + " alerts detected; not there within " + atMost + ": " + progress(db, slack, helpdesk), e);
        }
    }

    /** Where the alerts are: the stubs, the outbox, each sink's view, the ledger, the dead letters. */
    static String progress(io.orderwatch.store.Database db, SlackStub slack, HelpdeskStub helpdesk) {
        return "Slack posts " + posts(slack).size() + ", tickets " + helpdesk.tickets().size()
                + "; unpublished " + TestApp.count(db, "SELECT COUNT(*) FROM alert_event WHERE published_at IS NULL")
                + "; in the sinks' views slack " + TestApp.count(db, "SELECT COUNT(*) FROM sink_alert WHERE sink = 'slack'")
                + ", tickets " + TestApp.count(db, "SELECT COUNT(*) FROM sink_alert WHERE sink = 'tickets'")
                + ", email " + TestApp.count(db, "SELECT COUNT(*) FROM sink_alert WHERE sink = 'email'")
                + "; slack messages " + TestApp.count(db, "SELECT COUNT(*) FROM slack_message")
                + "; deliveries " + TestApp.count(db, "SELECT COUNT(*) FROM delivery")
                + ", not sent " + TestApp.count(db, "SELECT COUNT(*) FROM delivery WHERE state <> 'SENT'")
                + "; dead letters " + TestApp.count(db, "SELECT COUNT(*) FROM dead_letter");
    }

    /** Top-level messages in #order-export-problems that Slack kept. */
    static List<SlackStub.Stored> posts(SlackStub slack) {
        String id = slack.channelId(CHANNEL);
        return slack.messages().stream().filter(m -> m.channelId().equals(id) && m.threadTs() == null).toList();
    }

    /** Each alert is in exactly one Slack message, each message is one delivery, and there is nothing else. */
    static void assertEachOnceInSlack(SlackStub slack, Collection<String> fingerprints) {
        List<SlackStub.Stored> posts = posts(slack);
        assertEachOnce("Slack", fingerprints, posts.size(), fp -> posts.stream().filter(m -> m.blocks().contains(fp)).count());
        assertEquals(posts.size(), posts.stream().map(SlackStub.Stored::marker).distinct().count(), "each Slack message is one delivery");
    }

    /** Each alert is exactly one ticket, and there is no other. */
    static void assertEachOnceAsTicket(HelpdeskStub helpdesk, Collection<String> fingerprints) {
        Map<String, Long> byAlert = helpdesk.tickets().stream()
                .collect(Collectors.groupingBy(t -> t.path("externalId").asText(), Collectors.counting()));
        assertEachOnce("the helpdesk", fingerprints, helpdesk.tickets().size(), fp -> byAlert.getOrDefault(fp, 0L));
    }

    private static void assertEachOnce(String peer, Collection<String> fingerprints, int received, Function<String, Long> times) {
        List<String> lost = new ArrayList<>();
        List<String> twice = new ArrayList<>();
        for (String fp : fingerprints) {
            long n = times.apply(fp);
            if (n == 0) {
                lost.add(fp);
            } else if (n > 1) {
                twice.add(fp + " x" + n);
            }
        }
        if (!lost.isEmpty() || !twice.isEmpty() || received != fingerprints.size()) {
            fail(peer + ": " + fingerprints.size() + " alerts detected, " + received + " received; lost " + lost + ", more than once " + twice);
        }
    }
}
