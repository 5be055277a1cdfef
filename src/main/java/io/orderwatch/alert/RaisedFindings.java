package io.orderwatch.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderwatch.model.Json;
import io.orderwatch.observe.Metrics;
import io.orderwatch.store.Database;
import io.orderwatch.store.JsonColumns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Findings of a kind of the integrator's own, raised by a route through {@code direct:raise-finding}
 * (routes/raise-finding.camel.yaml). Each goes through the {@link AlertBook} like a built-in kind: the
 * same fingerprint (kind:subject), silences, the outbox, every sink and the delivery ledger.
 *
 * <p>A finding is a JSON object:
 * <pre>
 * {"kind": "PRICE_SPIKE", "subject": "48231192", "orderId": "48231192", "storeId": "st-1",
 *  "chainId": "ch-nevis", "region": "Приморский край", "startedAt": "2026-11-22T09:20:00+03:00",
 *  "details": {...}, "resolve": "call" | "30m", "state": "FIRING" | "RESOLVED"}
 * </pre>
 * {@code resolve} is the rule for when it resolves: {@code call} stays FIRING until the route sends
 * the same kind and subject with {@code "state": "RESOLVED"}; a duration resolves it once it has not
 * been raised again for that long ({@link #expireDue()}, route expire-findings). One that fails
 * validation changes nothing, is answered with an error naming the field, logged once and counted
 * ({@code orderwatch_findings_rejected_total{field}}); the calling route carries on.
 */
public final class RaisedFindings {

    private static final Logger LOG = LoggerFactory.getLogger(RaisedFindings.class);

    /** The built-in kinds: their detectors own them (they resolve them when a scope is re-evaluated). */
    static final Set<String> BUILT_IN = Set.of(AlertKind.STUCK_ORDER, AlertKind.COMPOSITION_CHANGED, AlertKind.DELETED_STORE_ORDER,
            AlertKind.EXPORT_FAILED, AlertKind.ITEM_LINK_ERROR, AlertKind.CITY_REQUEST, AlertKind.SOURCE_DOWN,
            AlertKind.DELIVERY_FAILED);
    private static final Pattern KIND = Pattern.compile("[A-Z][A-Z0-9_]{1,63}");
    private static final Set<String> FIELDS = Set.of("kind", "subject", "orderId", "storeId", "chainId", "region", "startedAt",
            "details", "resolve", "state");
    private static final int MAX_TEXT = 200;
    private static final int MAX_DETAILS = 16_384;

    private final Database db;
    private final AlertBook book;
    private final Metrics metrics;
    private final Clock clock;
    private final String upsertExpiry;

    public RaisedFindings(Database db, AlertBook book, Metrics metrics, Clock clock) {
        this.db = db;
        this.book = book;
        this.metrics = metrics;
        this.clock = clock;
        this.upsertExpiry = db.dialect().upsert("finding_expiry", List.of("fingerprint"), List.of("fingerprint", "expires_at"));
    }

    /**
     * Raises or resolves one finding (JSON text, or a Map a route built).
     *
     * @return {@code {"ok": true, "fingerprint": ..., "state": ...}}, or {@code {"ok": false, "field": ...,
     *         "error": "startedAt: not ISO-8601 with an offset: \"yesterday\""}} when it fails validation
     */
    public Map<String, Object> raise(Object body) {
        Taken f;
        try {
            f = parse(body);
        } catch (BadFinding e) {
            metrics.findingRejected(e.field);
            LOG.warn("Finding rejected, nothing changed: {}", io.orderwatch.observe.Problems.oneLine(e));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("ok", false);
            out.put("field", e.field);
            out.put("error", e.getMessage());
            return out;
        }
        String fingerprint = Finding.fingerprint(f.kind, f.subject);
        db.inTransaction(c -> {
            if (f.finding == null) {
                book.resolve(c, fingerprint);
                deleteExpiry(c, fingerprint);
            } else {
                book.reconcile(c, Scope.raiseOnly(), List.of(f.finding));
                if (f.ttl == null) {
                    deleteExpiry(c, fingerprint);
                } else {
                    try (PreparedStatement ps = c.prepareStatement(upsertExpiry)) {
                        ps.setString(1, fingerprint);
                        JsonColumns.setTime(ps, 2, OffsetDateTime.now(clock).plus(f.ttl).withOffsetSameInstant(ZoneOffset.UTC));
                        ps.executeUpdate();
                    }
                }
            }
            return null;
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ok", true);
        out.put("fingerprint", fingerprint);
        out.put("state", f.finding == null ? AlertState.RESOLVED.name() : AlertState.FIRING.name());
        return out;
    }

    /** Resolves every finding whose time to live has run out; returns how many. Route expire-findings. */
    public int expireDue() {
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        List<String> due = db.read(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT fingerprint FROM finding_expiry WHERE expires_at <= ? ORDER BY expires_at")) {
                ps.setMaxRows(500);
                JsonColumns.setTime(ps, 1, now);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
        int resolved = 0;
        for (String fp : due) {
            resolved += db.inTransaction(c -> {
                // raised again meanwhile (another instance, the same route): its new deadline stands
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM finding_expiry WHERE fingerprint = ? AND expires_at <= ?")) {
                    ps.setString(1, fp);
                    JsonColumns.setTime(ps, 2, now);
                    if (ps.executeUpdate() == 0) {
                        return 0;
                    }
                }
                return book.resolve(c, fp).isPresent() ? 1 : 0;
            });
        }
        return resolved;
    }

    private static void deleteExpiry(Connection c, String fingerprint) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM finding_expiry WHERE fingerprint = ?")) {
            ps.setString(1, fingerprint);
            ps.executeUpdate();
        }
    }

    /** A validated finding: {@code finding} null means "resolve it". */
    private record Taken(String kind, String subject, Finding finding, Duration ttl) {}

    private Taken parse(Object body) {
        JsonNode n;
        try {
            n = body instanceof String s ? Json.mapper().readTree(s) : Json.mapper().valueToTree(body);
        } catch (Exception e) {
            throw new BadFinding("body", "body: not JSON: " + io.orderwatch.observe.Problems.oneLine(e));
        }
        if (n == null || !n.isObject()) {
            throw new BadFinding("body", "body: must be a JSON object");
        }
        ObjectNode o = (ObjectNode) n;
        for (var it = o.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!FIELDS.contains(name)) {
                throw new BadFinding("unknown", name + ": unknown field (kind, subject, orderId, storeId, chainId, region, startedAt, details, resolve, state)");
            }
        }
        String kind = text(o, "kind", true);
        if (!KIND.matcher(kind).matches()) {
            throw new BadFinding("kind", "kind: upper-case letters, digits and _ (2..64), got \"" + kind + "\"");
        }
        if (BUILT_IN.contains(kind)) {
            throw new BadFinding("kind", "kind: " + kind + " is raised by orderwatch itself; choose a kind of your own");
        }
        String subject = text(o, "subject", true);
        String state = text(o, "state", false);
        if (state != null && !state.equals("FIRING") && !state.equals("RESOLVED")) {
            throw new BadFinding("state", "state: FIRING or RESOLVED, got \"" + state + "\"");
        }
        if ("RESOLVED".equals(state)) {
            return new Taken(kind, subject, null, null);
        }
        String startedText = text(o, "startedAt", true);
        OffsetDateTime startedAt;
        try {
            startedAt = OffsetDateTime.parse(startedText);
        } catch (DateTimeParseException e) {
            throw new BadFinding("startedAt", "startedAt: not ISO-8601 with an offset: \"" + startedText + "\"");
        }
        String resolve = text(o, "resolve", true);
        Duration ttl = null;
        if (!resolve.equals("call")) {
            try {
                ttl = io.orderwatch.detect.StuckLimits.parseDuration(resolve, "resolve");
            } catch (IllegalArgumentException e) {
                ttl = Duration.ZERO;
            }
            if (ttl.isZero() || ttl.isNegative()) {
                throw new BadFinding("resolve", "resolve: \"call\" or a time to live such as 30m, 4h, 1d, got \"" + resolve + "\"");
            }
        }
        Map<String, Object> details = Map.of();
        JsonNode d = o.get("details");
        if (d != null && !d.isNull()) {
            if (!d.isObject()) {
                throw new BadFinding("details", "details: must be a JSON object");
            }
            if (d.toString().length() > MAX_DETAILS) {
                throw new BadFinding("details", "details: longer than " + MAX_DETAILS + " characters");
            }
            details = JsonColumns.readMap(d.toString());
        }
        Finding finding = new Finding(kind, subject, text(o, "orderId", false), text(o, "storeId", false), text(o, "chainId", false),
                text(o, "region", false), startedAt, details);
        return new Taken(kind, subject, finding, ttl);
    }

    private static String text(ObjectNode o, String field, boolean required) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull() || (v.isTextual() && v.asText().isBlank())) {
            if (required) {
                throw new BadFinding(field, field + ": missing");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new BadFinding(field, field + ": must be a string, got " + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        String s = v.asText();
        if (s.length() > MAX_TEXT) {
            throw new BadFinding(field, field + ": longer than " + MAX_TEXT + " characters");
        }
        if (s.chars().anyMatch(Character::isISOControl)) {
            throw new BadFinding(field, field + ": contains a control character");
        }
        return s;
    }

    private static final class BadFinding extends RuntimeException {
        final String field;

        BadFinding(String field, String message) {
            super(message);
            this.field = field;
        }
    }
}
