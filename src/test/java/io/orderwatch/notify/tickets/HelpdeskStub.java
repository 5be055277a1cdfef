package io.orderwatch.notify.tickets;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.orderwatch.model.Json;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Both helpdesks on a JDK HttpServer: the reference API (POST /api/v1/tickets, bearer token, 409 with the
 * existing id for a known externalId, comments) and Usedesk (POST /create/ticket and /create/comment with
 * api_token). Scripted answers (503, 429 with Retry-After, 400, 401, or "create, then answer too late")
 * are used up one per call, before the normal behaviour.
 */
public final class HelpdeskStub implements AutoCloseable {

    public enum Script { UNAVAILABLE_503, RATE_LIMITED_429, BAD_REQUEST_400, UNAUTHORIZED_401, CREATE_THEN_SLOW }

    public record Call(String path, String authorization, JsonNode body) {}

    private final HttpServer server;
    private final String token;
    private final Deque<Script> script = new ConcurrentLinkedDeque<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, String> ticketsByExternalId = new ConcurrentHashMap<>();
    private final List<JsonNode> tickets = new CopyOnWriteArrayList<>();
    private final List<JsonNode> comments = new CopyOnWriteArrayList<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile long slowMillis = 3000;
    private final java.util.concurrent.atomic.AtomicReference<io.orderwatch.testing.PeerHold> ticketHold = new java.util.concurrent.atomic.AtomicReference<>();

    public HelpdeskStub(String token) throws IOException {
        this.token = token;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void script(Script... answers) {
        script.addAll(List.of(answers));
    }

    /** Holds the next ticket creation at the hold's point (see PeerHold); then tickets go on as before. */
    public io.orderwatch.testing.PeerHold holdTicket(io.orderwatch.testing.PeerHold.Point point) {
        io.orderwatch.testing.PeerHold h = new io.orderwatch.testing.PeerHold(point);
        ticketHold.set(h);
        return h;
    }

    private boolean holdAt(io.orderwatch.testing.PeerHold.Point point) {
        io.orderwatch.testing.PeerHold h = ticketHold.get();
        if (h == null || h.point() != point || !ticketHold.compareAndSet(h, null)) {
            return false;
        }
        h.arrive();
        return true;
    }

    public void slowMillis(long ms) {
        slowMillis = ms;
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<JsonNode> tickets() {
        return List.copyOf(tickets);
    }

    public List<JsonNode> comments() {
        return List.copyOf(comments);
    }

    private synchronized String create(String externalId, JsonNode body, boolean[] existed) {
        String known = externalId == null ? null : ticketsByExternalId.get(externalId);
        if (known != null) {
            existed[0] = true;
            return known;
        }
        String id = "T-" + (1043 + tickets.size());
        tickets.add(body);
        if (externalId != null) {
            ticketsByExternalId.put(externalId, id);
        }
        return id;
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        JsonNode body = Json.mapper().readTree(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        calls.add(new Call(path, ex.getRequestHeaders().getFirst("Authorization"), body));
        boolean usedesk = path.startsWith("/create/");
        boolean authorised = usedesk ? token.equals(body.path("api_token").asText()) : ("Bearer " + token).equals(ex.getRequestHeaders().getFirst("Authorization"));
        Script s = script.poll();
        if (s == Script.UNAVAILABLE_503) {
            reply(ex, 503, "{\"error\":\"unavailable\"}");
            return;
        }
        if (s == Script.RATE_LIMITED_429) {
            ex.getResponseHeaders().set("Retry-After", "7");
            reply(ex, 429, "{\"error\":\"slow down\"}");
            return;
        }
        if (s == Script.BAD_REQUEST_400) {
            reply(ex, 400, "{\"error\":\"subject is required\"}");
            return;
        }
        if (s == Script.UNAUTHORIZED_401 || !authorised) {
            reply(ex, 401, "{\"error\":\"unauthorized\"}");
            return;
        }
        boolean[] existed = new boolean[1];
        if (path.equals("/api/v1/tickets") || path.equals("/create/ticket")) {
            if (holdAt(io.orderwatch.testing.PeerHold.Point.BEFORE_EFFECT)) {
                ex.close(); // the client went away while the request was held: nothing done, nothing answered
                return;
            }
            String id = create(usedesk ? null : body.path("externalId").asText(null), body, existed);
            holdAt(io.orderwatch.testing.PeerHold.Point.BEFORE_ANSWER);
            if (s == Script.CREATE_THEN_SLOW) {
                try {
                    released.await(slowMillis, TimeUnit.MILLISECONDS); // created, and the answer comes too late
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (usedesk) {
                reply(ex, 200, "{\"status\":\"success\",\"ticket_id\":" + id.substring(2) + "}");
            } else {
                reply(ex, existed[0] ? 409 : 201, "{\"id\":\"" + id + "\"}");
            }
            return;
        }
        if (path.matches("/api/v1/tickets/[^/]+/comments") || path.equals("/create/comment")) {
            comments.add(usedesk ? body : Json.mapper().createObjectNode().put("ticket", path.split("/")[4]).put("text", body.path("text").asText()));
            reply(ex, 201, usedesk ? "{\"status\":\"success\",\"comment_id\":1}" : "{\"id\":\"C-" + comments.size() + "\"}");
            return;
        }
        reply(ex, 404, "{\"error\":\"no such path\"}");
    }

    private static void reply(HttpExchange ex, int status, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        try {
            ex.sendResponseHeaders(status, b.length);
            ex.getResponseBody().write(b);
        } catch (IOException e) {
            // the client gave up (a timeout): nothing to answer
        }
        ex.close();
    }

    @Override
    public void close() {
        released.countDown();
        io.orderwatch.testing.PeerHold h = ticketHold.get();
        if (h != null) {
            h.release();
        }
        server.stop(0);
    }

    static List<String> paths(List<Call> calls) {
        List<String> out = new ArrayList<>();
        calls.forEach(c -> out.add(c.path()));
        return out;
    }
}
