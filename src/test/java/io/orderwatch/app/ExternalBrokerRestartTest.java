package io.orderwatch.app;

import io.orderwatch.notify.slack.SlackStub;
import io.orderwatch.notify.tickets.HelpdeskStub;
import io.orderwatch.testing.AdminStub;
import io.orderwatch.testing.ExternalArtemis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * orderwatch on an external Artemis (ORDERWATCH_BROKER_URL, with credentials) that is SIGKILLed in the
 * middle of a fan-out and started again on its journal: alerts detected before, during and after the
 * outage all reach Slack and the helpdesk, each exactly once, with no restart of orderwatch.
 */
class ExternalBrokerRestartTest {

    @TempDir
    Path data;

    private AdminStub admin;
    private SlackStub slack;
    private HelpdeskStub helpdesk;
    private ExternalArtemis artemis;
    private Orderwatch orderwatch;

    @AfterEach
    void stop() {
        if (orderwatch != null) {
            orderwatch.stop();
        }
        for (AutoCloseable c : new AutoCloseable[] {artemis, admin, slack, helpdesk}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    @Test
    void theBrokerKilledAndRestartedMidFanOutLosesNothingAndRepeatsNothing() throws Exception {
        admin = new AdminStub();
        slack = new SlackStub();
        helpdesk = new HelpdeskStub("hd-secret");
        FanOutTally.pharmacies(admin, 24);
        artemis = ExternalArtemis.start(data.resolve("artemis"), "ow", "artemis-secret");
        Properties p = FanOutTally.withSinks(TestApp.configuredOverrides(data.resolve("orderwatch"), admin.baseUrl()), slack, helpdesk);
        p.setProperty("orderwatch.broker.url", artemis.url());
        p.setProperty("orderwatch.broker.user", "ow");
        p.setProperty("orderwatch.broker.password", "artemis-secret");
        orderwatch = Orderwatch.create(Path.of("."), Map.of(), p);
        orderwatch.start();
        var db = orderwatch.wiring().database();

        List<String> detected = new ArrayList<>(FanOutTally.exportFailures(admin, 0, 10));
        await().atMost(Duration.ofSeconds(30)).until(() -> helpdesk.tickets().size() >= 3);

        // the second wave is published and waits in the tickets sink's queue (its consumer paused) when the broker is killed
        orderwatch.camelContext().getRouteController().suspendRoute("notify-tickets");
        detected.addAll(FanOutTally.exportFailures(admin, 10, 8));
        await().atMost(Duration.ofSeconds(20)).until(() -> TestApp.count(db, "SELECT COUNT(*) FROM alert_event WHERE published_at IS NOT NULL") == 18);
        artemis.killHard();
        long killedAt = System.nanoTime();
        // the third wave while the broker is down: detected, kept in the outbox
        detected.addAll(FanOutTally.exportFailures(admin, 18, 6));
        await().atMost(Duration.ofSeconds(20)).until(() -> TestApp.count(db, "SELECT COUNT(*) FROM alert WHERE kind = 'EXPORT_FAILED'") == 24);
        // orderwatch has noticed (its health says the broker is unavailable); it keeps trying by itself, and
        // the tickets consumer started while the broker is away connects when it is back
        await().atMost(Duration.ofSeconds(20)).until(() -> healthStatus() != 200);
        orderwatch.camelContext().getRouteController().resumeRoute("notify-tickets");
        long ticketsBefore = helpdesk.tickets().size();
        artemis.restart();
        long restartedAt = System.nanoTime();

        FanOutTally.awaitDelivered(db, slack, helpdesk, detected.size(), Duration.ofSeconds(60));
        long recovered = System.nanoTime();
        // a redelivery or a late duplicate would come now: give it a moment to show
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> true);

        FanOutTally.assertEachOnceInSlack(slack, detected);
        FanOutTally.assertEachOnceAsTicket(helpdesk, detected);
        assertEquals(0, TestApp.count(db, "SELECT COUNT(*) FROM dead_letter"), "nothing dead-lettered");
        System.out.printf("external broker: killed with 8 alert changes in a queue, %d tickets of 24 sent; down %.1f s; all delivered %.1f s after the restart%n",
                ticketsBefore, (restartedAt - killedAt) / 1e9, (recovered - restartedAt) / 1e9);
    }

    private int healthStatus() throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        "http://127.0.0.1:" + orderwatch.settings().managementPort() + "/observe/health")).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
