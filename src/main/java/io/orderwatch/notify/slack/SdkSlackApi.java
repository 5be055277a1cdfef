package io.orderwatch.notify.slack;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.methods.request.chat.ChatPostMessageRequest;
import com.slack.api.methods.request.chat.ChatUpdateRequest;
import com.slack.api.model.Message;
import io.orderwatch.notify.delivery.Outcome;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Slack Web API through the Slack Java SDK's {@link MethodsClient} (the SDK camel-slack is built
 * on), pointed at {@code SLACK_API_URL}. Answers are sorted by kind: {@code ok:false} with a permanent
 * error (bad token, no such channel, not in the channel, …) stops at once; 429 (with its Retry-After),
 * 5xx, timeouts and Slack's own transient errors are tried again.
 */
public final class SdkSlackApi implements SlackApi {

    /** Slack errors that a later attempt can get past; every other error is permanent. */
    static final Set<String> TRANSIENT = Set.of("ratelimited", "rate_limited", "internal_error", "fatal_error", "service_unavailable",
            "request_timeout", "team_added_to_org", "timeout");

    private final MethodsClient methods;
    private final String baseUrl;
    private final Duration timeout;

    public SdkSlackApi(String apiUrl, String token, Duration timeout) {
        SlackConfig config = new SlackConfig();
        config.setMethodsEndpointUrlPrefix(apiUrl.endsWith("/") ? apiUrl : apiUrl + "/");
        config.setPrettyResponseLoggingEnabled(false);
        // no per-team call statistics (they cost an extra auth.test call and are not used here)
        config.setStatsEnabled(false);
        config.setHttpClientReadTimeoutMillis((int) timeout.toMillis());
        config.setHttpClientWriteTimeoutMillis((int) timeout.toMillis());
        config.setHttpClientCallTimeoutMillis((int) timeout.toMillis());
        this.methods = Slack.getInstance(config).methods(token);
        this.baseUrl = apiUrl;
        this.timeout = timeout;
    }

    @Override
    public Outcome call(SlackCall call) {
        try {
            if (SlackCall.UPDATE.equals(call.method())) {
                return answer(methods.chatUpdate(ChatUpdateRequest.builder().channel(call.channel()).ts(call.ts()).text(call.text())
                        .blocksAsString(call.blocksJson()).build()), call);
            }
            ChatPostMessageRequest.ChatPostMessageRequestBuilder req = ChatPostMessageRequest.builder().channel(call.channel())
                    .text(call.text()).blocksAsString(call.blocksJson()).threadTs(call.threadTs()).unfurlLinks(false).unfurlMedia(false)
                    .metadata(Message.Metadata.builder().eventType(SlackCall.METADATA_TYPE)
                            .eventPayload(Map.of("delivery", call.marker())).build());
            return answer(methods.chatPostMessage(req.build()), call);
        } catch (SlackApiException e) {
            return failure(e);
        } catch (IOException e) {
            String text = call.method() + ": " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            // no answer in time: Slack may have posted it; refused or unknown host: it surely did not
            return e instanceof java.io.InterruptedIOException ? Outcome.Failed.inDoubt(text, timeout) : Outcome.Failed.transientFailure(text);
        } catch (RuntimeException e) {
            return Outcome.Failed.transientFailure(call.method() + ": " + e);
        }
    }

    private static Outcome answer(SlackApiTextResponse r, SlackCall call) {
        if (!r.isOk()) {
            return classify(call.method(), r.getError(), null);
        }
        String channel;
        String ts;
        if (r instanceof com.slack.api.methods.response.chat.ChatPostMessageResponse p) {
            channel = p.getChannel();
            ts = p.getTs();
        } else {
            com.slack.api.methods.response.chat.ChatUpdateResponse u = (com.slack.api.methods.response.chat.ChatUpdateResponse) r;
            channel = u.getChannel();
            ts = u.getTs();
        }
        return new Outcome.Sent((channel == null ? call.channel() : channel) + ":" + (ts == null ? call.ts() : ts));
    }

    static Outcome.Failed classify(String method, String error, Duration retryAfter) {
        String e = error == null ? "unknown_error" : error;
        String text = method + ": " + e;
        if (TRANSIENT.contains(e)) {
            return Outcome.Failed.transientFailure(text, retryAfter);
        }
        return Outcome.Failed.permanentFailure(text);
    }

    private Outcome.Failed failure(SlackApiException e) {
        int code = e.getResponse() == null ? 0 : e.getResponse().code();
        String error = e.getError() != null && e.getError().getError() != null ? e.getError().getError() : "HTTP " + code;
        if (code == 429) {
            return Outcome.Failed.transientFailure("HTTP 429 " + error, retryAfter(e));
        }
        if (code >= 500 || code == 408 || code == 0) {
            return Outcome.Failed.inDoubt("HTTP " + code + " " + error, null);
        }
        return classify("HTTP " + code, error, null);
    }

    static Duration retryAfter(SlackApiException e) {
        String value = e.getResponse() == null ? null : e.getResponse().header("Retry-After");
        if (value == null) {
            return Duration.ofSeconds(30);
        }
        try {
            return Duration.ofSeconds(Math.max(1, Long.parseLong(value.trim())));
        } catch (NumberFormatException ex) {
            return Duration.ofSeconds(30);
        }
    }

    @Override
    public Optional<String> find(String channelId, String threadTs, String marker, Instant since) {
        if (channelId == null) {
            return Optional.empty();
        }
        String oldest = since.getEpochSecond() + ".000000";
        try {
            List<Message> messages = threadTs == null
                    ? methods.conversationsHistory(r -> r.channel(channelId).oldest(oldest).limit(200).includeAllMetadata(true)).getMessages()
                    : methods.conversationsReplies(r -> r.channel(channelId).ts(threadTs).oldest(oldest).limit(200).includeAllMetadata(true))
                            .getMessages();
            if (messages == null) {
                return Optional.empty();
            }
            for (Message m : messages) {
                if (m.getMetadata() != null && SlackCall.METADATA_TYPE.equals(m.getMetadata().getEventType())
                        && m.getMetadata().getEventPayload() != null && marker.equals(String.valueOf(m.getMetadata().getEventPayload().get("delivery")))) {
                    return Optional.of(channelId + ":" + m.getTs());
                }
            }
            return Optional.empty();
        } catch (IOException | SlackApiException | RuntimeException e) {
            // the lookup is a courtesy: when it cannot be made, the post is made again
            return Optional.empty();
        }
    }

    @Override
    public String describe() {
        return "the Slack Web API at " + baseUrl;
    }
}
