package io.orderwatch.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderwatch.alert.Alert;
import io.orderwatch.alert.AlertBook;
import io.orderwatch.alert.AlertState;
import io.orderwatch.alert.Silence;
import io.orderwatch.alert.Silences;
import io.orderwatch.model.Json;
import io.orderwatch.api.ApiAuth;
import io.orderwatch.api.HttpReply;
import io.orderwatch.store.AlertStore;
import io.orderwatch.store.Database;
import io.orderwatch.store.SilenceStore;
import io.orderwatch.store.StoredAlert;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** orderwatch's own HTTP API (orderwatch-api.md): alerts and silences, behind the API token. */
public final class AlertApi {


    private final ApiAuth auth;
    private final Database db;
    private final AlertStore alerts;
    private final SilenceStore silenceStore;
    private final Silences silences;
    private final AlertBook book;
    private final Clock clock;

    public AlertApi(ApiAuth auth, Database db, AlertStore alerts, SilenceStore silenceStore, Silences silences, AlertBook book, Clock clock) {
        this.auth = auth;
        this.db = db;
        this.alerts = alerts;
        this.silenceStore = silenceStore;
        this.silences = silences;
        this.book = book;
        this.clock = clock;
    }

    /** GET /api/v1/alerts with state, kind, orderId, storeId, chainId, since, limit, cursor. */
    public HttpReply listAlerts(Map<String, Object> params) {
        if (!auth.allows(str(params, "Authorization"))) {
            return HttpReply.unauthorized();
        }
        String state = str(params, "state");
        if (state != null) {
            state = state.toUpperCase(Locale.ROOT);
            if (!state.equals(AlertState.FIRING.name()) && !state.equals(AlertState.RESOLVED.name())) {
                return HttpReply.error(400, "state must be FIRING or RESOLVED");
            }
        }
        int limit;
        OffsetDateTime since;
        QueryParams.Cursor after;
        try {
            limit = QueryParams.limit(params);
            since = QueryParams.since(params);
            after = QueryParams.cursor(params);
        } catch (QueryParams.Bad e) {
            return HttpReply.error(400, e.getMessage());
        }
        AlertStore.Query q = new AlertStore.Query(state, str(params, "kind"), str(params, "orderId"), str(params, "storeId"),
                str(params, "chainId"), since, after == null ? null : after.at(), after == null ? null : after.key(), limit);
        List<StoredAlert> page = db.read(c -> alerts.query(c, q));
        String next = null;
        if (page.size() > limit) {
            page = page.subList(0, limit);
            StoredAlert last = page.get(page.size() - 1);
            next = new QueryParams.Cursor(last.changedAt(), last.alert().fingerprint()).encode();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page.stream().map(StoredAlert::alert).toList());
        body.put("nextCursor", next);
        return HttpReply.json(200, body);
    }

    public HttpReply listSilences(String authorization) {
        if (!auth.allows(authorization)) {
            return HttpReply.unauthorized();
        }
        return HttpReply.json(200, Map.of("items", silences.all().stream().map(AlertApi::view).toList()));
    }

    /** POST /api/v1/silences: at least one matcher, an end in the future. */
    public HttpReply createSilence(String body, String authorization) {
        if (!auth.allows(authorization)) {
            return HttpReply.unauthorized();
        }
        JsonNode root;
        try {
            root = Json.mapper().readTree(body == null ? "" : body);
        } catch (Exception e) {
            return HttpReply.error(400, "body is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            return HttpReply.error(400, "body must be a JSON object");
        }
        JsonNode m = root.get("matchers");
        if (m == null || !m.isObject()) {
            return HttpReply.error(400, "matchers: missing or not an object");
        }
        Map<String, String> matchers = new LinkedHashMap<>();
        var fields = m.fields();
        while (fields.hasNext()) {
            var f = fields.next();
            if (!Silence.MATCHER_KEYS.contains(f.getKey())) {
                return HttpReply.error(400, "matchers." + f.getKey() + ": unknown matcher (kind, storeId, chainId, orderId)");
            }
            if (!f.getValue().isTextual() || f.getValue().asText().isBlank()) {
                return HttpReply.error(400, "matchers." + f.getKey() + ": must be a non-empty string");
            }
            if (tooLong(f.getValue().asText(), MAX_MATCHER)) {
                return HttpReply.error(400, "matchers." + f.getKey() + ": at most " + MAX_MATCHER + " characters");
            }
            matchers.put(f.getKey(), f.getValue().asText());
        }
        if (matchers.isEmpty()) {
            return HttpReply.error(400, "matchers: at least one of kind, storeId, chainId, orderId");
        }
        OffsetDateTime until;
        try {
            until = OffsetDateTime.parse(root.path("until").asText(""));
        } catch (DateTimeParseException e) {
            return HttpReply.error(400, "until: missing or not an ISO-8601 time with an offset");
        }
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        if (!until.isAfter(now)) {
            return HttpReply.error(400, "until: already in the past");
        }
        String comment = text(root, "comment");
        if (tooLong(comment, MAX_COMMENT)) {
            return HttpReply.error(400, "comment: at most " + MAX_COMMENT + " characters");
        }
        String createdBy = text(root, "createdBy");
        if (tooLong(createdBy, MAX_CREATED_BY)) {
            return HttpReply.error(400, "createdBy: at most " + MAX_CREATED_BY + " characters");
        }
        Silence s = new Silence(UUID.randomUUID().toString(), matchers, until, comment, createdBy, now, "api");
        silenceStore.save(s);
        silences.reload();
        book.refreshMutes();
        return HttpReply.json(201, view(s));
    }

    public HttpReply deleteSilence(String id, String authorization) {
        if (!auth.allows(authorization)) {
            return HttpReply.unauthorized();
        }
        if (id == null || !silenceStore.delete(id)) {
            return HttpReply.error(404, "no silence with id " + id);
        }
        silences.reload();
        book.refreshMutes();
        return new HttpReply(204, "");
    }

    static Map<String, Object> view(Silence s) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", s.id());
        v.put("matchers", s.matchers());
        v.put("until", s.until().toString());
        v.put("comment", s.comment());
        v.put("createdBy", s.createdBy());
        v.put("createdAt", s.createdAt().toString());
        v.put("origin", s.origin());
        return v;
    }

    /** Columns of the silence table (V3__events_and_silences.sql): VARCHAR counts characters, not bytes. */
    static final int MAX_MATCHER = 64;
    static final int MAX_COMMENT = 1000;
    static final int MAX_CREATED_BY = 200;

    private static boolean tooLong(String value, int max) {
        return value != null && value.codePointCount(0, value.length()) > max;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String str(Map<String, Object> params, String key) {
        return QueryParams.str(params, key);
    }

    /** Alerts are served exactly as the Alert record serialises. */
    static Alert alert(StoredAlert s) {
        return s.alert();
    }
}
