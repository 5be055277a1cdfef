package io.orderwatch.app;

import io.orderwatch.store.Database;
import io.orderwatch.store.DbSettings;
import io.orderwatch.testing.ChildOrderwatch;
import io.orderwatch.testing.PeerHold;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * orderwatch in a child JVM, killed with SIGKILL at an exact point of a delivery and started again on the
 * same data dir (embedded broker and H2): every detected alert reaches the Slack stub and the reference
 * helpdesk stub exactly once.
 * <ul>
 *   <li>{@code BEFORE_EFFECT}, between detection and delivery: the first Slack post and the first ticket
 *       have reached their peer, which has done nothing yet; the rest of the alerts are in the outbox,
 *       on the broker's queues or in the ledger.</li>
 *   <li>{@code BEFORE_ANSWER}, between a peer answering and the ledger being written: Slack has posted
 *       the message and the helpdesk created the ticket, and the answer never arrives. After the
 *       restart the claims lapse and the attempts are in doubt: Slack's conversations.history finds the
 *       post by its metadata marker, the helpdesk answers 409 with the ticket it has.</li>
 * </ul>
 */
class KillAndRestartTest {

    /** Courier orders three hours past their planned delivery, each at a pharmacy of its own chain: a Slack post, a ticket and a ticket note in the post's thread each. */
    private static final int ORDERS = 5;

    @TempDir
    Path data;

    private FaultPeers peers;
    private final List<ChildOrderwatch> children = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        children.forEach(ChildOrderwatch::close);
        if (peers != null) {
            peers.close();
        }
    }

    private Properties configured() {
        Properties p = peers.configured(data);
        // a SENDING row of the killed process is taken up again (in doubt) this soon after the restart
        p.setProperty("orderwatch.delivery.claim-timeout", "3s");
        // the held ticket is the only one in flight, so that it is the one in doubt at the kill: the
        // intake takes the 5 alerts in one transaction, and with 4 calls in flight 3 more tickets were
        // made (and maybe in doubt too) before the kill (calls in flight: InFlightLaneTest, TwoProcessesTest)
        p.setProperty("orderwatch.tickets.in-flight", "1");
        return p;
    }

    private ChildOrderwatch launch(int run) {
        ChildOrderwatch child = ChildOrderwatch.start(configured(), Map.of(), data.resolve("child-" + run + ".log"));
        children.add(child);
        return child;
    }

    @ParameterizedTest(name = "killed {0}")
    @EnumSource(PeerHold.Point.class)
    void sigkillAtAPointOfDeliveryThenRestartDeliversEveryAlertExactlyOnce(PeerHold.Point point) throws Exception {
        peers = new FaultPeers();
        peers.stores(ORDERS);
        peers.orders(0, ORDERS);
        PeerHold post = peers.slack.hold("chat.postMessage", point);
        PeerHold ticket = peers.helpdesk.holdTicket(point);

        ChildOrderwatch first = launch(1);
        first.awaitHealthy(Duration.ofSeconds(60));
        assertTrue(post.awaitReached(Duration.ofSeconds(60)), "a Slack post reached the stub\n" + first.logTail());
        assertTrue(ticket.awaitReached(Duration.ofSeconds(60)), "a ticket reached the stub\n" + first.logTail());
        first.killHard();
        post.release();
        ticket.release();
        int postsBeforeRestart = peers.slack.messages().size();
        int ticketsBeforeRestart = peers.helpdesk.tickets().size();
        if (point == PeerHold.Point.BEFORE_ANSWER) {
            assertTrue(postsBeforeRestart >= 1 && ticketsBeforeRestart == 1, "the held post and ticket were made before the kill");
        } else {
            assertEquals(0, ticketsBeforeRestart, "nothing was delivered to the helpdesk before the kill");
        }

        ChildOrderwatch second = launch(2);
        second.awaitHealthy(Duration.ofSeconds(60));
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> peers.arrived(ORDERS)
                    && backlog(second, "slack") == 0 && backlog(second, "tickets") == 0);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("not everything was delivered after the restart: " + peers.slack.messages().size() + " Slack messages, "
                    + peers.helpdesk.tickets().size() + " tickets\n" + second.logTail(), e);
        }
        assertEquals(143, second.stop(), "a graceful stop\n" + second.logTail());

        try (Database db = Database.open(DbSettings.embedded(data))) {
            peers.check(db, ORDERS);
        }
        if (point == PeerHold.Point.BEFORE_ANSWER) {
            long ticketPosts = peers.helpdesk.calls().stream().filter(c -> c.path().equals("/api/v1/tickets")).count();
            assertEquals(ORDERS + 1, ticketPosts, "the in-doubt ticket was asked for again once (409), the others created once");
        }
    }

    /** orderwatch_delivery_backlog of a sink, from the child's /observe/metrics (-1 while it does not answer). */
    private long backlog(ChildOrderwatch child, String sink) {
        try {
            String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + child.managementPort() + "/observe/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            String prefix = "orderwatch_delivery_backlog{sink=\"" + sink + "\"} ";
            return metrics.lines().filter(l -> l.startsWith(prefix)).map(l -> (long) Double.parseDouble(l.substring(prefix.length())))
                    .findFirst().orElse(-1L);
        } catch (Exception e) {
            return -1;
        }
    }
}
