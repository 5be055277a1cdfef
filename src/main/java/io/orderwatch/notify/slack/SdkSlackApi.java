package io.orderwatch.notify.slack;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.Methods;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.RequestFormBuilder;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.request.chat.ChatPostMessageRequest;
import com.slack.api.methods.request.chat.ChatUpdateRequest;
import com.slack.api.model.Message;
import io.orderwatch.model.Json;
import io.orderwatch.notify.delivery.Outcome;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The Slack Web API through the Slack Java SDK's {@link MethodsClient} (the SDK camel-slack is built
 * on), pointed at {@code SLACK_API_URL}: its request model and form encoding, its HTTP client; the answer
 * to a post or an update is read here (see {@link #parse}). Answers are sorted by kind: {@code ok:false} with a permanent
 * error (bad token, no such channel, not in the channel, …) stops at once; 429 (with its Retry-After),
 * 5xx, timeouts and Slack's own transient errors are tried again.
 */
public final class SdkSlackApi implements SlackApi {

    /** Slack errors that a later attempt can get past; every other error is permanent. */
    static final Set<String> TRANSIENT = Set.of("ratelimited", "rate_limited", "internal_error", "fatal_error", "service_unavailable",
            "request_timeout", "team_added_to_org", "timeout");

    private final MethodsClient methods;
    private final String token;
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
        this.token = token;
        this.baseUrl = apiUrl;
        this.timeout = timeout;
    }

    @Override
    public Outcome call(SlackCall call) {
        try {
            okhttp3.FormBody.Builder form;
            String method;
            if (SlackCall.UPDATE.equals(call.method())) {
                method = Methods.CHAT_UPDATE;
                form = RequestFormBuilder.toForm(ChatUpdateRequest.builder().channel(call.channel()).ts(call.ts()).text(call.text())
                        .blocksAsString(call.blocksJson()).build());
            } else {
                method = Methods.CHAT_POST_MESSAGE;
                form = RequestFormBuilder.toForm(ChatPostMessageRequest.builder().channel(call.channel()).text(call.text())
                        .blocksAsString(call.blocksJson()).threadTs(call.threadTs()).unfurlLinks(false).unfurlMedia(false)
                        .metadataAsString(metadata(call.marker())).build());
            }
            try (okhttp3.Response r = methods.runPostFormWithToken(form, method, token)) {
                okhttp3.ResponseBody body = r.body();
                return answer(call, r.code(), r.header("Retry-After"), body == null ? "" : body.string());
            }
        } catch (IOException e) {
            String text = call.method() + ": " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            // no answer in time: Slack may have posted it; refused or unknown host: it surely did not
            return e instanceof java.io.InterruptedIOException ? Outcome.Failed.inDoubt(text, timeout) : Outcome.Failed.transientFailure(text);
        } catch (RuntimeException e) {
            return Outcome.Failed.transientFailure(call.method() + ": " + e);
        }
    }

    /** The message metadata that marks a post as this delivery's (what {@link #find} looks for), as Slack's JSON. */
    static String metadata(String marker) {
        com.fasterxml.jackson.databind.node.ObjectNode m = Json.mapper().createObjectNode();
        m.put("event_type", SlackCall.METADATA_TYPE);
        m.putObject("event_payload").put("delivery", marker);
        return m.toString();
    }

    /** What Slack's top-level answer says: ok, error, channel and ts (the echoed message and the rest are skipped). */
    private record Answer(boolean ok, String error, String channel, String ts) {}

    /**
     * Reads Slack's answer itself. The SDK's own parsing builds a new Gson (and all its reflective
     * adapters, for the whole echoed message with its blocks) for every answer: a fifth of the Slack
     * lane's CPU. Only the four top-level fields are needed.
     */
    static Answer parse(String body) throws IOException {
        boolean ok = false;
        String error = null;
        String channel = null;
        String ts = null;
        try (JsonParser p = Json.mapper().getFactory().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("the answer is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "ok" -> ok = value == JsonToken.VALUE_TRUE;
                    case "error" -> error = value.isScalarValue() ? p.getText() : null;
                    case "channel" -> channel = value == JsonToken.VALUE_STRING ? p.getText() : channel;
                    case "ts" -> ts = value == JsonToken.VALUE_STRING ? p.getText() : ts;
                    default -> p.skipChildren();
                }
            }
        }
        return new Answer(ok, error, channel, ts);
    }

    /** The outcome of Slack's answer: its HTTP status first (as the SDK's SlackApiException would), then ok/error. */
    static Outcome answer(SlackCall call, int code, String retryAfterHeader, String body) {
        if (code < 200 || code > 299) {
            String error = null;
            try {
                error = parse(body).error();
            } catch (IOException | RuntimeException notJson) {
                // an HTML error page or nothing: the status says it
            }
            if (error == null) {
                error = "HTTP " + code;
            }
            if (code == 429) {
                return Outcome.Failed.transientFailure("HTTP 429 " + error, retryAfter(retryAfterHeader));
            }
            if (code >= 500 || code == 408) {
                return Outcome.Failed.inDoubt("HTTP " + code + " " + error, null);
            }
            return classify("HTTP " + code, error, null);
        }
        Answer a;
        try {
            a = parse(body);
        } catch (IOException notJson) {
            // a 2xx that cannot be read: Slack may have posted it, so the next attempt looks for it first
            return Outcome.Failed.inDoubt(call.method() + ": HTTP " + code + " with an unreadable answer", null);
        }
        if (!a.ok()) {
            return classify(call.method(), a.error(), null);
        }
        return new Outcome.Sent((a.channel() == null ? call.channel() : a.channel()) + ":" + (a.ts() == null ? call.ts() : a.ts()));
    }

    static Outcome.Failed classify(String method, String error, Duration retryAfter) {
        String e = error == null ? "unknown_error" : error;
        String text = method + ": " + e;
        if (TRANSIENT.contains(e)) {
            return Outcome.Failed.transientFailure(text, retryAfter);
        }
        return Outcome.Failed.permanentFailure(text);
    }

    static Duration retryAfter(String value) {
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

    /** Channel ids by name, as conversations.list told them (a channel keeps its id when renamed: a stale name just is not found). */
    private final java.util.Map<String, String> channelIds = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public Optional<String> channelIdOf(String name) {
        String wanted = name.startsWith("#") ? name.substring(1) : name;
        String known = channelIds.get(wanted);
        if (known != null) {
            return Optional.of(known);
        }
        try {
            String cursor = null;
            for (int page = 0; page < 50; page++) { // 50 pages of 1,000 channels: a workspace's worth
                String c = cursor;
                var answer = methods.conversationsList(r -> r.types(List.of(com.slack.api.model.ConversationType.PUBLIC_CHANNEL,
                        com.slack.api.model.ConversationType.PRIVATE_CHANNEL)).excludeArchived(true).limit(1000).cursor(c));
                if (!answer.isOk() || answer.getChannels() == null) {
                    return Optional.empty(); // missing_scope and the like: the post is made again
                }
                for (var ch : answer.getChannels()) {
                    if (ch.getName() != null && ch.getId() != null) {
                        channelIds.put(ch.getName(), ch.getId());
                    }
                }
                if (channelIds.containsKey(wanted)) {
                    return Optional.of(channelIds.get(wanted));
                }
                cursor = answer.getResponseMetadata() == null ? null : answer.getResponseMetadata().getNextCursor();
                if (cursor == null || cursor.isEmpty()) {
                    return Optional.empty();
                }
            }
            return Optional.empty();
        } catch (IOException | SlackApiException | RuntimeException e) {
            return Optional.empty(); // a courtesy, as find is
        }
    }

    @Override
    public String describe() {
        return "the Slack Web API at " + baseUrl;
    }
}
