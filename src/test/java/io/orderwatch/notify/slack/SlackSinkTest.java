package io.orderwatch.notify.slack;

import io.orderwatch.alert.Alert;
import io.orderwatch.alert.AlertBook;
import io.orderwatch.alert.AlertEvent;
import io.orderwatch.alert.AlertState;
import io.orderwatch.alert.MuteCheck;
import io.orderwatch.app.TestApp;
import io.orderwatch.model.Json;
import io.orderwatch.notify.delivery.DeliveryDispatcher;
import io.orderwatch.notify.delivery.DeliveryFailedAlarm;
import io.orderwatch.notify.delivery.RetryPolicy;
import io.orderwatch.observe.Metrics;
import io.orderwatch.store.AlertStore;
import io.orderwatch.store.Database;
import io.orderwatch.store.DeliveryLedger;
import io.orderwatch.store.SinkAlerts;
import io.orderwatch.store.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Slack sink with the delivery core on a real database (H2 and PostgreSQL) against the Slack stub:
 * grouping, updates in place, thread replies, pacing per channel, 429, 5xx, permanent errors with
 * DELIVERY_FAILED and a replay, in-doubt posts found instead of posted twice.
 */
class SlackSinkTest {

    private static final OffsetDateTime STARTED = OffsetDateTime.parse("2026-11-22T08:33:40+03:00");

    private Database db;
    private SlackStub slack;
    private DeliveryDispatcher dispatcher;
    private SlackSink sink;
    private DeliveryLedger ledger;
    private final Map<String, Long> versions = new HashMap<>();

    private void start(String kind, Duration timeout) throws Exception {
        db = TestDatabases.open(kind);
        slack = new SlackStub();
        Clock clock = Clock.systemUTC();
        AlertBook book = new AlertBook(db, new AlertStore(db.dialect()), MuteCheck.NONE, clock);
        ledger = new DeliveryLedger();
        dispatcher = new DeliveryDispatcher(db, ledger, new RetryPolicy(Duration.ofMillis(300), Duration.ofSeconds(2), Duration.ofHours(24)),
                Duration.ofSeconds(2), new DeliveryFailedAlarm(book, clock), Metrics.inMemory(), clock);
        SlackSettings defaults = SlackSettings.from(SlackRoutingTest.config(Map.of()));
        SlackSettings settings = new SlackSettings("xoxb-test-token", slack.url(), defaults.routing(), Duration.ofMinutes(10), 15,
                Duration.ofMillis(100), Duration.ofMillis(100), timeout, 4, "");
        sink = new SlackSink(db, new SinkAlerts(db, SlackSink.SINK), ledger, settings,
                new SlackMessages("https://arm.example.org", ZoneId.of("Europe/Moscow"), 15, ""),
                new SdkSlackApi(settings.apiUrl(), settings.token(), timeout), clock);
        dispatcher.register(SlackSink.SINK, sink, 4);
    }

    @AfterEach
    void stop() {
        if (dispatcher != null) {
            dispatcher.close();
        }
        if (slack != null) {
            slack.close();
        }
        if (db != null) {
            db.close();
        }
    }

    private void send(Alert a) throws Exception {
        long v = versions.merge(a.fingerprint(), 1L, Long::sum);
        sink.accept(Json.mapper().writeValueAsString(new AlertEvent(a.fingerprint() + "#" + v + ":" + a.state(), a, OffsetDateTime.now())));
    }

    private static Alert alert(String kind, String orderId, String chain, AlertState state, boolean muted) {
        Map<String, Object> d = new HashMap<>();
        d.put("system", "SBIS");
        d.put("error", "TIMEOUT");
        d.put("chainName", chain);
        return new Alert(kind + ":" + orderId, kind, state, muted, orderId, "st-" + chain, chain, "Москва", STARTED, STARTED, STARTED,
                state == AlertState.RESOLVED ? STARTED.plusHours(1) : null, d);
    }

    private static Alert failed(String orderId, String chain) {
        return alert("EXPORT_FAILED", orderId, chain, AlertState.FIRING, false);
    }

    private static Alert resolved(String orderId, String chain) {
        return alert("EXPORT_FAILED", orderId, chain, AlertState.RESOLVED, false);
    }

    private void drain() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            dispatcher.dispatch();
            return TestApp.count(db, "SELECT COUNT(*) FROM delivery WHERE state IN ('PENDING', 'SENDING')") == 0;
        });
    }

    @ParameterizedTest
    @MethodSource("io.orderwatch.store.TestDatabases#kinds")
    void aStormOfOneChainIsOneMessageUpdatedInPlaceAndResolvedInItsThread(String kind) throws Exception {
        start(kind, Duration.ofSeconds(5));
        for (int i = 0; i < 120; i++) {
            send(failed(String.valueOf(48230000 + i), "ch-nevis"));
            if (i == 3) {
                drain(); // the first post goes out while the storm is still coming
            }
        }
        send(failed("1", "ch-other"));
        drain();
        List<SlackStub.Call> posts = slack.calls("chat.postMessage");
        assertEquals(2, posts.size(), "one post per chain, however many orders");
        assertTrue(slack.calls("chat.update").size() >= 1, "the message grew in place");
        String channelId = slack.channelId("#order-export-problems");
        SlackStub.Stored nevis = slack.messages().stream().filter(m -> m.text().contains("ch-nevis") || m.text().contains(": 120")).findFirst()
                .orElseThrow();
        assertTrue(nevis.text().startsWith("🔴 Заказы не переданы в аптеку: 120 · ch-nevis"), nevis.text());
        assertEquals(121, TestApp.count(db, "SELECT COUNT(DISTINCT fingerprint) FROM delivery_alert"), "every order is findable in the ledger");

        int updatesBefore = slack.calls("chat.update").size();
        for (int i = 0; i < 120; i++) {
            send(resolved(String.valueOf(48230000 + i), "ch-nevis"));
        }
        drain();
        List<SlackStub.Call> replies = slack.calls("chat.postMessage").stream().filter(c -> c.params().get("thread_ts") != null).toList();
        assertTrue(!replies.isEmpty() && replies.size() <= 5, "resolutions coalesce into a few thread replies: " + replies.size());
        assertTrue(replies.stream().allMatch(r -> r.channel().equals(channelId) && r.params().get("thread_ts").equals(nevis.ts())),
                "replies go into the message's thread, by channel id");
        assertTrue(replies.get(0).params().get("text").startsWith("✅ Решено: заказ 48230000"), replies.get(0).params().get("text"));
        assertTrue(slack.calls("chat.update").size() > updatesBefore);
        SlackStub.Stored after = slack.messages().stream().filter(m -> m.ts().equals(nevis.ts())).findFirst().orElseThrow();
        assertTrue(after.text().startsWith("✅ Заказы не переданы в аптеку: 120"), "every alert resolved: the header says so: " + after.text());
        assertEquals(2, slack.calls("chat.postMessage").size() - replies.size(), "nothing posted twice");
    }

    @Test
    void postsArePacedPerChannelAndA429WaitsForThatChannelOnly() throws Exception {
        start("h2", Duration.ofSeconds(5));
        slack.script("chat.postMessage", SlackStub.Answer.rateLimited(2));
        send(failed("1", "ch-a"));
        send(alert("ITEM_LINK_ERROR", "2", "ch-a", AlertState.FIRING, false));
        drain();
        List<SlackStub.Call> posts = slack.calls("chat.postMessage");
        assertEquals(3, posts.size(), "the limited post once more, the other once");
        SlackStub.Call limited = posts.get(0);
        SlackStub.Call again = posts.stream().skip(1).filter(p -> p.channel().equals(limited.channel())).findFirst().orElseThrow();
        SlackStub.Call other = posts.stream().filter(p -> !p.channel().equals(limited.channel())).findFirst().orElseThrow();
        assertTrue(Duration.between(limited.at(), again.at()).toMillis() >= 1900, "Retry-After honoured on that channel");
        // by order, not by a time bound, so that a loaded machine cannot fail it: the other channel's post went
        // before the limited channel's retry, which waited its 2 s
        assertTrue(other.at().isBefore(again.at()), "the other channel did not wait for it: " + other.at() + " vs " + again.at());
        assertEquals(2, TestApp.count(db, "SELECT attempts FROM delivery WHERE target = '" + limited.channel() + "'"));
    }

    @Test
    void serverErrorsAreRetriedThenDelivered() throws Exception {
        start("h2", Duration.ofSeconds(5));
        slack.script("chat.postMessage", SlackStub.Answer.serverError(), SlackStub.Answer.serverError());
        send(failed("1", "ch-a"));
        drain();
        assertEquals(3, slack.calls("chat.postMessage").size());
        assertEquals(1, slack.messages().size());
        assertEquals(1, TestApp.count(db, "SELECT COUNT(*) FROM delivery WHERE state = 'SENT' AND attempts = 3"));
    }

    @ParameterizedTest
    @MethodSource("io.orderwatch.store.TestDatabases#kinds")
    void aPermanentErrorFailsAtOnceRaisesDeliveryFailedAndCanBeReplayed(String kind) throws Exception {
        start(kind, Duration.ofSeconds(5));
        slack.script("chat.postMessage", SlackStub.Answer.error("channel_not_found"));
        send(failed("1", "ch-a"));
        drain();
        assertEquals(1, slack.calls("chat.postMessage").size(), "no retry of a permanent error");
        assertEquals(1, TestApp.count(db, "SELECT COUNT(*) FROM delivery WHERE state = 'FAILED' AND error_kind = 'permanent' "
                + "AND last_error LIKE '%channel_not_found%'"));
        String fp = DeliveryFailedAlarm.fingerprint("slack", "#order-export-problems");
        assertEquals(1, TestApp.count(db, "SELECT COUNT(*) FROM alert WHERE fingerprint = '" + fp + "' AND state = 'FIRING'"));
        // the news of Slack's own failure is not for Slack
        Alert news = new AlertStore(db.dialect()).lock(db.dataSource().getConnection(), List.of(fp)).get(fp).alert();
        send(news);
        drain();
        assertEquals(1, slack.calls("chat.postMessage").size());

        long id = TestApp.count(db, "SELECT id FROM delivery WHERE state = 'FAILED'");
        boolean replayed = db.inTransaction(c -> ledger.replay(c, id, OffsetDateTime.now()));
        assertTrue(replayed);
        drain();
        assertEquals(2, slack.calls("chat.postMessage").size());
        assertEquals(1, TestApp.count(db, "SELECT COUNT(*) FROM delivery WHERE state = 'SENT'"));
        assertEquals(1, TestApp.count(db, "SELECT COUNT(*) FROM alert WHERE fingerprint = '" + fp + "' AND state = 'RESOLVED'"),
                "the next delivery that goes through resolves DELIVERY_FAILED");
    }

    @Test
    void aTimedOutFirstPostToAChannelConfiguredByNameIsFoundThroughTheChannelList() throws Exception {
        start("h2", Duration.ofSeconds(1));
        slack.channelId("#order-export-problems"); // the channel exists in the workspace; nothing was posted there yet
        slack.script("chat.postMessage", SlackStub.Answer.slow(Duration.ofMillis(1500)));
        send(failed("1", "ch-a"));
        drain();
        assertEquals(1, slack.messages().size(), "made once");
        assertEquals(1, slack.calls("chat.postMessage").size(), "no second post after the timeout: the channel's id came from conversations.list");
        assertEquals(1, TestApp.count(db, "SELECT COUNT(*) FROM delivery WHERE state = 'SENT' AND peer_ref IS NOT NULL"));
    }

    @Test
    void withoutTheScopeToListChannelsATimedOutFirstPostIsMadeAgain() throws Exception {
        start("h2", Duration.ofSeconds(1));
        slack.channelId("#order-export-problems");
        slack.script("chat.postMessage", SlackStub.Answer.slow(Duration.ofMillis(1500)));
        slack.script("conversations.list", SlackStub.Answer.error("missing_scope"));
        send(failed("1", "ch-a"));
        drain();
        assertEquals(2, slack.calls("chat.postMessage").size(), "the documented cost of a token without channels:read: one post twice");
        assertEquals(1, TestApp.count(db, "SELECT COUNT(*) FROM delivery WHERE state = 'SENT'"));
    }

    @Test
    void aTimedOutPostThatSlackDidMakeIsFoundNotPostedAgain() throws Exception {
        start("h2", Duration.ofSeconds(1));
        send(failed("0", "ch-b")); // an earlier post tells the channel's id
        drain();
        slack.script("chat.postMessage", SlackStub.Answer.slow(Duration.ofMillis(1500)));
        send(failed("1", "ch-a"));
        drain();
        assertEquals(2, slack.messages().size(), "one message per group, the slow one made once");
        assertEquals(2, slack.calls("chat.postMessage").size(), "no second post after the timeout");
        assertEquals(2, TestApp.count(db, "SELECT COUNT(*) FROM delivery WHERE state = 'SENT' AND peer_ref IS NOT NULL"));
    }

    @Test
    void aClaimThatLapsedWithoutAnAnswerIsCheckedWithSlackFirst() throws Exception {
        start("h2", Duration.ofSeconds(5));
        send(failed("0", "ch-b"));
        send(failed("1", "ch-a"));
        drain();
        // as if the process died between Slack's answer and the ledger's record
        db.inTransaction(c -> (Object) c.createStatement().executeUpdate("UPDATE delivery SET state = 'SENDING', peer_ref = NULL, "
                + "next_attempt_at = CURRENT_TIMESTAMP - INTERVAL '1' MINUTE WHERE subject LIKE '%ch-a%'"));
        drain();
        assertEquals(2, slack.calls("chat.postMessage").size(), "the post was found by its marker, not made again");
        assertEquals(2, TestApp.count(db, "SELECT COUNT(*) FROM delivery WHERE state = 'SENT' AND peer_ref IS NOT NULL"));
    }

    @Test
    void aMutedAlertIsPostedOnlyOnceItsSilenceEnds() throws Exception {
        start("h2", Duration.ofSeconds(5));
        send(alert("EXPORT_FAILED", "1", "ch-a", AlertState.FIRING, true));
        drain();
        assertEquals(0, slack.calls().size());
        send(failed("1", "ch-a"));
        send(failed("1", "ch-a"));
        drain();
        assertEquals(1, slack.calls("chat.postMessage").size());
    }

    @Test
    void aTicketOpenedForAnAlertIsNamedInItsThread() throws Exception {
        start("h2", Duration.ofSeconds(5));
        send(failed("1", "ch-a"));
        drain();
        SlackStub.Stored post = slack.messages().get(0);
        // the helpdesk sink's ticket for the alert goes through the core: Slack hears of it in the same transaction
        db.inTransaction(c -> {
            long ticket = ledger.enqueue(c, new io.orderwatch.store.Delivery.New("tickets", "reference", "reference", "ticket",
                    "ticket:EXPORT_FAILED:1", "EXPORT_FAILED:1", null, OffsetDateTime.now(),
                    java.util.List.of(new io.orderwatch.store.Delivery.AlertRef("EXPORT_FAILED:1", "1"))), OffsetDateTime.now());
            ledger.sent(c, ticket, "T-1043", OffsetDateTime.now());
            sink.deliverySent(c, ledger.get(c, ticket).orElseThrow(), "T-1043");
            return null;
        });
        drain();
        SlackStub.Call note = slack.calls("chat.postMessage").get(1);
        assertEquals(post.ts(), note.params().get("thread_ts"));
        assertTrue(note.params().get("text").contains("Открыта заявка для второй линии по заказу 1: T-1043"), note.params().get("text"));
    }

    @Test
    void aTicketOpenedBeforeSlackTookItsAlertIsNamedInTheThreadToo() throws Exception {
        start("h2", Duration.ofSeconds(5));
        // the tickets sink was faster (Slack's queue consumer was reconnecting to the broker): no Slack message yet
        db.inTransaction(c -> {
            long ticket = ledger.enqueue(c, new io.orderwatch.store.Delivery.New("tickets", "reference", "reference", "ticket",
                    "ticket:EXPORT_FAILED:1", "EXPORT_FAILED:1", null, OffsetDateTime.now(),
                    java.util.List.of(new io.orderwatch.store.Delivery.AlertRef("EXPORT_FAILED:1", "1"))), OffsetDateTime.now());
            ledger.sent(c, ticket, "T-1043", OffsetDateTime.now());
            sink.deliverySent(c, ledger.get(c, ticket).orElseThrow(), "T-1043");
            return null;
        });
        send(failed("1", "ch-a"));
        send(failed("1", "ch-a"));
        drain();
        assertEquals(2, slack.calls("chat.postMessage").size(), "the post and one note");
        SlackStub.Call note = slack.calls("chat.postMessage").get(1);
        assertEquals(slack.messages().stream().filter(m -> m.threadTs() == null).findFirst().orElseThrow().ts(), note.params().get("thread_ts"));
        assertTrue(note.params().get("text").contains("T-1043"), note.params().get("text"));
    }

    @Test
    void aRedeliveredMessageChangesNothing() throws Exception {
        start("h2", Duration.ofSeconds(5));
        Alert a = failed("1", "ch-a");
        String json = Json.mapper().writeValueAsString(new AlertEvent(a.fingerprint() + "#1:FIRING", a, OffsetDateTime.now()));
        assertTrue(sink.accept(json));
        assertEquals(false, sink.accept(json));
        drain();
        assertEquals(1, slack.calls("chat.postMessage").size());
    }

    @Test
    void aChannelConfiguredByIdIsItsOwnLookupAndANameIsNot() {
        assertTrue(SlackSink.isChannelId("C0123ABCD") && SlackSink.isChannelId("G01ABCDEF"));
        assertTrue(!SlackSink.isChannelId("#order-stuck") && !SlackSink.isChannelId("order-stuck") && !SlackSink.isChannelId(null));
    }
}
