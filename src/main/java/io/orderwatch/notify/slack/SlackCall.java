package io.orderwatch.notify.slack;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.reflect.TypeToken;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.util.json.GsonFactory;

import java.util.List;

/**
 * One Slack Web API call as the sink makes it: {@code chat.postMessage} (a post, or a thread reply
 * with {@code threadTs}) or {@code chat.update}. Its JSON is the body Slack gets plus the method, and
 * is what the ledger keeps as the delivery's payload and the outbox writes.
 *
 * @param channel  a channel name or id for a post; the channel id for an update or a reply
 * @param marker   the delivery's own key, sent as message metadata so that a post whose answer was
 *                 lost can be found in the channel instead of being posted twice
 */
public record SlackCall(String method, String channel, String ts, String threadTs, String text, List<LayoutBlock> blocks, String marker) {

    public static final String POST = "chat.postMessage";
    public static final String UPDATE = "chat.update";
    static final String METADATA_TYPE = "orderwatch_delivery";
    private static final Gson GSON = GsonFactory.createSnakeCase().newBuilder().disableHtmlEscaping().create();
    private static final Gson PRETTY = GSON.newBuilder().setPrettyPrinting().create();

    public String toJson() {
        return GSON.toJson(tree());
    }

    /** The same, indented: what the outbox writes for a person to read. */
    public String toPrettyJson() {
        return PRETTY.toJson(tree());
    }

    private JsonObject tree() {
        JsonObject body = new JsonObject();
        body.addProperty("channel", channel);
        if (ts != null) {
            body.addProperty("ts", ts);
        }
        if (threadTs != null) {
            body.addProperty("thread_ts", threadTs);
        }
        body.addProperty("text", text);
        body.add("blocks", GSON.toJsonTree(blocks));
        if (POST.equals(method)) {
            body.addProperty("unfurl_links", false);
            body.addProperty("unfurl_media", false);
            JsonObject metadata = new JsonObject();
            metadata.addProperty("event_type", METADATA_TYPE);
            JsonObject payload = new JsonObject();
            payload.addProperty("delivery", marker);
            metadata.add("event_payload", payload);
            body.add("metadata", metadata);
        }
        JsonObject call = new JsonObject();
        call.addProperty("method", method);
        call.addProperty("marker", marker);
        call.add("body", body);
        return call;
    }

    public static SlackCall fromJson(String json) {
        JsonObject call = JsonParser.parseString(json).getAsJsonObject();
        JsonObject body = call.getAsJsonObject("body");
        List<LayoutBlock> blocks = GSON.fromJson(body.get("blocks"), new TypeToken<List<LayoutBlock>>() {}.getType());
        return new SlackCall(call.get("method").getAsString(), text(body, "channel"), text(body, "ts"), text(body, "thread_ts"),
                text(body, "text"), blocks, text(call, "marker"));
    }

    /** The blocks as Slack's JSON array (for the SDK's blocksAsString). */
    public String blocksJson() {
        return GSON.toJson(blocks);
    }

    private static String text(JsonObject o, String field) {
        JsonElement e = o.get(field);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }
}
