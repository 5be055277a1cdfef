package io.orderwatch.notify.slack;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Slack Web API stub on the JDK HttpServer: chat.postMessage, chat.update, conversations.history,
 * conversations.replies and conversations.list (the channels it has posted to), form-encoded as the Slack SDK sends them. It records every call, keeps the
 * messages (with their metadata) per channel, and answers from a script: 429 with Retry-After, 5xx,
 * {@code ok:false} with any error, or slowly.
 */
public final class SlackStub implements AutoCloseable {

    /** One recorded call. */
    public record Call(String method, Map<String, String> params, String authorization, Instant at) {
        public String channel() {
            return params.get("channel");
        }

        public JsonObject metadata() {
            String m = params.get("metadata");
            return m == null ? null : JsonParser.parseString(m).getAsJsonObject();
        }
    }

    /** A scripted answer for the next call of a method. */
    public record Answer(int status, String error, Duration retryAfter, Duration delay) {
        public static Answer rateLimited(int seconds) {
            return new Answer(429, "ratelimited", Duration.ofSeconds(seconds), Duration.ZERO);
        }

        public static Answer serverError() {
            return new Answer(500, null, null, Duration.ZERO);
        }

        public static Answer error(String error) {
            return new Answer(200, error, null, Duration.ZERO);
        }

        public static Answer slow(Duration delay) {
            return new Answer(200, null, null, delay);
        }
    }

    /** A message the stub keeps, as Slack would. */
    public record Stored(String channelId, String ts, String threadTs, String text, String blocks, String marker) {}

    private final HttpServer server;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, ConcurrentLinkedDeque<Answer>> script = new ConcurrentHashMap<>();
    private final Map<String, Stored> messages = new ConcurrentHashMap<>();
    private final Map<String, String> channelIds = new ConcurrentHashMap<>();
    private final AtomicLong ts = new AtomicLong(1_700_000_000_000_100L);
    private final Gson gson = new Gson();
    private final Map<String, io.orderwatch.testing.PeerHold> holds = new ConcurrentHashMap<>();

    public SlackStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/";
    }

    /** The next calls of this method get these answers, in order; then ok again. */
    public void script(String method, Answer... answers) {
        ConcurrentLinkedDeque<Answer> q = script.computeIfAbsent(method, k -> new ConcurrentLinkedDeque<>());
        for (Answer a : answers) {
            q.add(a);
        }
    }

    /** Holds the next call of this method at the hold's point (see PeerHold); then calls go on as before. */
    public io.orderwatch.testing.PeerHold hold(String method, io.orderwatch.testing.PeerHold.Point point) {
        io.orderwatch.testing.PeerHold h = new io.orderwatch.testing.PeerHold(point);
        holds.put(method, h);
        return h;
    }

    /** The hold of this method at this point, used up by the call that reaches it. */
    private boolean holdAt(String method, io.orderwatch.testing.PeerHold.Point point) {
        io.orderwatch.testing.PeerHold h = holds.get(method);
        if (h == null || h.point() != point || !holds.remove(method, h)) {
            return false;
        }
        h.arrive();
        return true;
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<Call> calls(String method) {
        return calls.stream().filter(c -> c.method().equals(method)).toList();
    }

    /** Messages that are in channels (posts and replies that were answered ok). */
    public List<Stored> messages() {
        return new ArrayList<>(messages.values());
    }

    public String channelId(String name) {
        return channelIds.computeIfAbsent(name.startsWith("#") ? name.substring(1) : name, n -> "C" + Integer.toHexString(n.hashCode()).toUpperCase());
    }

    private void handle(HttpExchange ex) throws IOException {
        String method = ex.getRequestURI().getPath().substring("/api/".length());
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> params = form(body);
        if (ex.getRequestURI().getRawQuery() != null) {
            params.putAll(form(ex.getRequestURI().getRawQuery()));
        }
        Call call = new Call(method, params, ex.getRequestHeaders().getFirst("Authorization"), Instant.now());
        boolean lookup = method.startsWith("conversations.") || method.equals("auth.test");
        if (!lookup) {
            calls.add(call);
        }
        if (holdAt(method, io.orderwatch.testing.PeerHold.Point.BEFORE_EFFECT)) {
            ex.close(); // the client went away while the request was held: nothing done, nothing answered
            return;
        }
        Answer a = script.getOrDefault(method, new ConcurrentLinkedDeque<>()).poll();
        if (a != null && !a.delay().isZero()) {
            try {
                Thread.sleep(a.delay().toMillis()); // the stub plays a slow Slack; nobody waits on this for an outcome
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (a != null && a.status() != 200) {
            if (a.retryAfter() != null) {
                ex.getResponseHeaders().set("Retry-After", String.valueOf(a.retryAfter().toSeconds()));
            }
            respond(ex, a.status(), a.error() == null ? "<html>Server Error</html>" : "{\"ok\":false,\"error\":\"" + a.error() + "\"}");
            return;
        }
        if (a != null && a.error() != null) {
            respond(ex, 200, "{\"ok\":false,\"error\":\"" + a.error() + "\"}");
            return;
        }
        if (!("Bearer " + "xoxb-test-token").equals(call.authorization())) {
            respond(ex, 200, "{\"ok\":false,\"error\":\"invalid_auth\"}");
            return;
        }
        switch (method) {
            case "chat.postMessage" -> {
                String channel = params.get("channel");
                String channelId = channel.startsWith("C") && !channel.startsWith("#") ? channel : channelId(channel);
                String newTs = next();
                String marker = null;
                if (call.metadata() != null) {
                    marker = call.metadata().getAsJsonObject("event_payload").get("delivery").getAsString();
                }
                messages.put(channelId + ":" + newTs, new Stored(channelId, newTs, params.get("thread_ts"), params.get("text"),
                        params.get("blocks"), marker));
                holdAt(method, io.orderwatch.testing.PeerHold.Point.BEFORE_ANSWER);
                respond(ex, 200, "{\"ok\":true,\"channel\":\"" + channelId + "\",\"ts\":\"" + newTs + "\",\"message\":{\"type\":\"message\",\"ts\":\""
                        + newTs + "\"}}");
            }
            case "auth.test" -> respond(ex, 200, "{\"ok\":true,\"team_id\":\"T0TEST\",\"user_id\":\"U0BOT\",\"bot_id\":\"B0BOT\"}");
            case "chat.update" -> {
                String key = params.get("channel") + ":" + params.get("ts");
                Stored old = messages.get(key);
                if (old == null) {
                    respond(ex, 200, "{\"ok\":false,\"error\":\"message_not_found\"}");
                    return;
                }
                messages.put(key, new Stored(old.channelId(), old.ts(), old.threadTs(), params.get("text"), params.get("blocks"), old.marker()));
                respond(ex, 200, "{\"ok\":true,\"channel\":\"" + old.channelId() + "\",\"ts\":\"" + old.ts() + "\",\"text\":\"\"}");
            }
            case "conversations.history", "conversations.replies" -> {
                String channelId = params.get("channel");
                String thread = params.get("ts");
                List<Map<String, Object>> found = new ArrayList<>();
                for (Stored m : messages.values()) {
                    boolean inThread = method.equals("conversations.replies");
                    if (m.channelId().equals(channelId) && (inThread ? thread.equals(m.threadTs()) || thread.equals(m.ts()) : m.threadTs() == null)) {
                        Map<String, Object> msg = new LinkedHashMap<>();
                        msg.put("type", "message");
                        msg.put("ts", m.ts());
                        msg.put("text", m.text());
                        if (m.marker() != null) {
                            msg.put("metadata", Map.of("event_type", "orderwatch_delivery", "event_payload", Map.of("delivery", m.marker())));
                        }
                        found.add(msg);
                    }
                }
                respond(ex, 200, gson.toJson(Map.of("ok", true, "messages", found, "has_more", false)));
            }
            case "conversations.list" -> {
                List<Map<String, Object>> channels = new ArrayList<>();
                channelIds.forEach((name, id) -> channels.add(Map.of("id", id, "name", name, "is_channel", true)));
                respond(ex, 200, gson.toJson(Map.of("ok", true, "channels", channels, "response_metadata", Map.of("next_cursor", ""))));
            }
            default -> respond(ex, 200, "{\"ok\":false,\"error\":\"unknown_method\"}");
        }
    }

    private String next() {
        long v = ts.incrementAndGet();
        return (v / 1_000_000) + "." + String.format("%06d", v % 1_000_000);
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        if (body == null || body.isEmpty()) {
            return out;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static void respond(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", body.startsWith("{") ? "application/json; charset=utf-8" : "text/html");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    @Override
    public void close() {
        holds.values().forEach(io.orderwatch.testing.PeerHold::release);
        server.stop(0);
    }
}
