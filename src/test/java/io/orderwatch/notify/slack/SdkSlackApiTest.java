package io.orderwatch.notify.slack;

import io.orderwatch.notify.delivery.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SDK's MethodsClient against the Slack stub: every kind of answer becomes the right outcome. */
class SdkSlackApiTest {

    private final SlackStub slack = start();
    private final SdkSlackApi api = new SdkSlackApi(slack.url(), "xoxb-test-token", Duration.ofSeconds(1));

    private static SlackStub start() {
        try {
            return new SlackStub();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void stop() {
        slack.close();
    }

    private static SlackCall post(String channel) {
        SlackMessages.Rendered r = new SlackMessages("https://arm", java.time.ZoneId.of("Europe/Moscow"), 5, "")
                .group("EXPORT_FAILED", List.of(new SlackMessages.Member(SlackMessagesTest.exportFailed("1", "a", "E"), false)), Instant.now());
        return new SlackCall(SlackCall.POST, channel, null, null, r.text(), r.blocks(), "slack-7");
    }

    @Test
    void aPostAnswersWithTheChannelIdAndTs() {
        Outcome o = api.call(post("#order-export-problems"));
        Outcome.Sent sent = assertInstanceOf(Outcome.Sent.class, o);
        String id = slack.channelId("#order-export-problems");
        assertTrue(sent.peerRef().startsWith(id + ":"), sent.peerRef());
        SlackStub.Call call = slack.calls("chat.postMessage").get(0);
        assertEquals("Bearer xoxb-test-token", call.authorization());
        assertTrue(call.params().get("blocks").contains("\"type\":\"header\""), "Block Kit blocks");
        assertEquals("slack-7", call.metadata().getAsJsonObject("event_payload").get("delivery").getAsString());

        String ts = sent.peerRef().substring(id.length() + 1);
        Outcome updated = api.call(new SlackCall(SlackCall.UPDATE, id, ts, null, "новый текст", post("x").blocks(), "slack-8"));
        assertEquals(new Outcome.Sent(id + ":" + ts), updated);
        Outcome reply = api.call(new SlackCall(SlackCall.POST, id, null, ts, "✅ Решено", post("x").blocks(), "slack-9"));
        assertInstanceOf(Outcome.Sent.class, reply);
        assertEquals(ts, slack.calls("chat.postMessage").get(1).params().get("thread_ts"));
    }

    @Test
    void okFalseWithAPermanentErrorFailsForGood() {
        for (String error : List.of("invalid_auth", "channel_not_found", "not_in_channel", "account_inactive", "invalid_blocks")) {
            slack.script("chat.postMessage", SlackStub.Answer.error(error));
            Outcome.Failed f = assertInstanceOf(Outcome.Failed.class, api.call(post("#c")));
            assertTrue(f.permanent(), error);
            assertTrue(f.error().contains(error), f.error());
        }
        assertTrue(slack.messages().isEmpty(), "nothing was posted");
    }

    @Test
    void aWrongTokenIsPermanent() {
        SdkSlackApi wrong = new SdkSlackApi(slack.url(), "xoxb-wrong", Duration.ofSeconds(1));
        Outcome.Failed f = assertInstanceOf(Outcome.Failed.class, wrong.call(post("#c")));
        assertTrue(f.permanent() && f.error().contains("invalid_auth"), f.error());
    }

    @Test
    void rateLimitsServerErrorsAndTimeoutsAreTransient() {
        slack.script("chat.postMessage", SlackStub.Answer.rateLimited(7));
        Outcome.Failed limited = assertInstanceOf(Outcome.Failed.class, api.call(post("#c")));
        assertFalse(limited.permanent());
        assertEquals(Duration.ofSeconds(7), limited.retryAfter(), "Retry-After is honoured");
        assertFalse(limited.maybeDelivered(), "a 429 was not done");

        slack.script("chat.postMessage", SlackStub.Answer.error("ratelimited"));
        assertFalse(assertInstanceOf(Outcome.Failed.class, api.call(post("#c"))).permanent());

        slack.script("chat.postMessage", SlackStub.Answer.serverError());
        Outcome.Failed down = assertInstanceOf(Outcome.Failed.class, api.call(post("#c")));
        assertFalse(down.permanent());
        assertTrue(down.error().contains("500"), down.error());

        slack.script("chat.postMessage", SlackStub.Answer.slow(Duration.ofMillis(2500)));
        Outcome.Failed slow = assertInstanceOf(Outcome.Failed.class, api.call(post("#c")));
        assertFalse(slow.permanent());
        assertTrue(slow.maybeDelivered(), "no answer in time: Slack may have it");
    }

    @Test
    void aPostIsFoundByItsMarker() {
        Outcome.Sent sent = (Outcome.Sent) api.call(post("#c"));
        String id = slack.channelId("#c");
        assertEquals(Optional.of(sent.peerRef()), api.find(id, null, "slack-7", Instant.now().minusSeconds(60)));
        assertEquals(Optional.empty(), api.find(id, null, "slack-99", Instant.now().minusSeconds(60)));
        assertEquals(Optional.empty(), api.find(null, null, "slack-7", Instant.now().minusSeconds(60)), "no channel id, no lookup");
    }

    @Test
    void answersAreReadByTheirTopLevelFieldsOnly() {
        SlackCall call = post("#c");
        String echo = "{\"ok\":true,\"channel\":\"C0TOP\",\"ts\":\"1.000100\",\"message\":{\"ts\":\"9.9\",\"channel\":\"CINNER\","
                + "\"blocks\":[{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\"ok\"}}],\"metadata\":{\"event_payload\":{\"ts\":\"x\"}}},"
                + "\"warning\":\"superfluous_charset\",\"response_metadata\":{\"warnings\":[\"superfluous_charset\"]}}";
        assertEquals(new Outcome.Sent("C0TOP:1.000100"), SdkSlackApi.answer(call, 200, null, echo));

        Outcome.Failed notOk = assertInstanceOf(Outcome.Failed.class,
                SdkSlackApi.answer(call, 200, null, "{\"ok\":false,\"error\":\"channel_not_found\",\"ts\":\"1.1\"}"));
        assertTrue(notOk.permanent() && notOk.error().contains("channel_not_found"), notOk.error());

        Outcome.Failed unreadable = assertInstanceOf(Outcome.Failed.class, SdkSlackApi.answer(call, 200, null, "<html>oops</html>"));
        assertTrue(unreadable.maybeDelivered() && !unreadable.permanent(), "a 2xx that cannot be read may have been posted: " + unreadable.error());
        assertInstanceOf(Outcome.Failed.class, SdkSlackApi.answer(call, 200, null, ""));

        Outcome.Failed badGateway = assertInstanceOf(Outcome.Failed.class, SdkSlackApi.answer(call, 502, null, "<html>Bad Gateway</html>"));
        assertTrue(badGateway.maybeDelivered() && badGateway.error().contains("502"), badGateway.error());

        Outcome.Failed limited = assertInstanceOf(Outcome.Failed.class, SdkSlackApi.answer(call, 429, "3", "{\"ok\":false,\"error\":\"ratelimited\"}"));
        assertEquals(Duration.ofSeconds(3), limited.retryAfter());
        assertFalse(limited.maybeDelivered());
        assertEquals(Duration.ofSeconds(30), assertInstanceOf(Outcome.Failed.class, SdkSlackApi.answer(call, 429, "soon", "")).retryAfter());

        Outcome.Failed refused = assertInstanceOf(Outcome.Failed.class, SdkSlackApi.answer(call, 403, null, "{\"ok\":false,\"error\":\"not_allowed_token_type\"}"));
        assertTrue(refused.permanent() && refused.error().contains("not_allowed_token_type"), refused.error());
    }

    @Test
    void theDeliveryMarkerIsSentAsSlackMessageMetadata() {
        assertEquals("{\"event_type\":\"" + SlackCall.METADATA_TYPE + "\",\"event_payload\":{\"delivery\":\"slack-\\\"7\"}}",
                SdkSlackApi.metadata("slack-\"7"));
    }
}
