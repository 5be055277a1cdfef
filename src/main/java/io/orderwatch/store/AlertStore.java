package io.orderwatch.store;

import io.orderwatch.alert.Alert;
import io.orderwatch.alert.AlertEvent;
import io.orderwatch.alert.AlertState;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Rows of the alert book and its outbox. Every method runs on the caller's connection and transaction. */
public final class AlertStore {

    private static final List<String> COLUMNS = List.of("fingerprint", "kind", "state", "muted", "order_id", "store_id",
            "chain_id", "region", "started_at", "first_seen_at", "last_seen_at", "resolved_at", "changed_at", "version", "details");
    private static final String SELECT = "SELECT " + String.join(", ", COLUMNS) + " FROM alert";

    private final Dialect dialect;
    private final String upsert;

    public AlertStore(Dialect dialect) {
        this.dialect = dialect;
        this.upsert = dialect.upsert("alert", List.of("fingerprint"), COLUMNS);
    }

    /** The named alerts, locked for the rest of the transaction. */
    public Map<String, StoredAlert> lock(Connection c, Collection<String> fingerprints) throws SQLException {
        Map<String, StoredAlert> out = new LinkedHashMap<>();
        if (fingerprints.isEmpty()) {
            return out;
        }
        List<String> list = List.copyOf(fingerprints);
        for (int from = 0; from < list.size(); from += 500) {
            List<String> chunk = list.subList(from, Math.min(list.size(), from + 500));
            String sql = SELECT + " WHERE fingerprint IN (" + placeholders(chunk.size()) + ") FOR UPDATE";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 1, chunk.get(i));
                }
                readInto(ps, out);
            }
        }
        return out;
    }

    /** FIRING alerts of these kinds, for one order or (orderId null) for any subject, locked. */
    public Map<String, StoredAlert> lockFiring(Connection c, Set<String> kinds, String orderId) throws SQLException {
        Map<String, StoredAlert> out = new LinkedHashMap<>();
        if (kinds.isEmpty()) {
            return out;
        }
        String sql = SELECT + " WHERE state = 'FIRING' AND kind IN (" + placeholders(kinds.size()) + ")"
                + (orderId == null ? "" : " AND order_id = ?") + " FOR UPDATE";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            for (String kind : kinds) {
                ps.setString(i++, kind);
            }
            if (orderId != null) {
                ps.setString(i, orderId);
            }
            readInto(ps, out);
        }
        return out;
    }

    /** Every FIRING alert, locked (for re-applying silences). */
    /**
     * The version a new alert (no row for its fingerprint) starts at: 1, or above every version that
     * retention has deleted, so a fingerprint that fires again after its old row was purged never reuses
     * an event id.
     */
    public long firstVersion(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT max_purged_version FROM alert_version_floor WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            return (rs.next() ? rs.getLong(1) : 0) + 1;
        }
    }

    /** FIRING alerts whose state last changed at or after a time, locked (by the changed_at index, not a walk of all). */
    public List<StoredAlert> firingChangedSince(Connection c, OffsetDateTime since) throws SQLException {
        Map<String, StoredAlert> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE changed_at >= ? AND state = 'FIRING' FOR UPDATE")) {
            JsonColumns.setTime(ps, 1, since);
            readInto(ps, out);
        }
        return new ArrayList<>(out.values());
    }

    public List<StoredAlert> allFiring(Connection c) throws SQLException {
        Map<String, StoredAlert> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE state = 'FIRING' FOR UPDATE")) {
            readInto(ps, out);
        }
        return new ArrayList<>(out.values());
    }

    /** Filters of GET /api/v1/alerts; null means any. */
    public record Query(String state, String kind, String orderId, String storeId, String chainId, OffsetDateTime since,
                        OffsetDateTime afterChangedAt, String afterFingerprint, int limit) {}

    /** One page of alerts ordered by (last change, fingerprint); one more than the limit tells there is a next page. */
    public List<StoredAlert> query(Connection c, Query q) throws SQLException {
        StringBuilder sql = new StringBuilder(SELECT + " WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        for (Object[] f : new Object[][] {{"state", q.state()}, {"kind", q.kind()}, {"order_id", q.orderId()},
                {"store_id", q.storeId()}, {"chain_id", q.chainId()}}) {
            if (f[1] != null) {
                sql.append(" AND ").append(f[0]).append(" = ?");
                args.add(f[1]);
            }
        }
        if (q.since() != null) {
            sql.append(" AND changed_at >= ?");
            args.add(q.since());
        }
        if (q.afterChangedAt() != null) {
            sql.append(" AND (changed_at > ? OR (changed_at = ? AND fingerprint > ?))");
            args.add(q.afterChangedAt());
            args.add(q.afterChangedAt());
            args.add(q.afterFingerprint());
        }
        sql.append(" ORDER BY changed_at, fingerprint LIMIT ?");
        args.add(q.limit() + 1);
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                Object a = args.get(i);
                if (a instanceof OffsetDateTime t) {
                    JsonColumns.setTime(ps, i + 1, t);
                } else if (a instanceof Integer n) {
                    ps.setInt(i + 1, n);
                } else {
                    ps.setString(i + 1, (String) a);
                }
            }
            Map<String, StoredAlert> out = new LinkedHashMap<>();
            readInto(ps, out);
            return new ArrayList<>(out.values());
        }
    }

    /** Fingerprints of every FIRING alert of these kinds: a cheap read for periodic re-evaluation. */
    public Set<String> firingFingerprints(Connection c, Set<String> kinds) throws SQLException {
        if (kinds.isEmpty()) {
            return Set.of();
        }
        String sql = "SELECT fingerprint FROM alert WHERE state = 'FIRING' AND kind IN (" + placeholders(kinds.size()) + ")";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            for (String kind : kinds) {
                ps.setString(i++, kind);
            }
            Set<String> out = new java.util.HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    public void save(Connection c, StoredAlert stored) throws SQLException {
        Alert a = stored.alert();
        try (PreparedStatement ps = c.prepareStatement(upsert)) {
            ps.setString(1, a.fingerprint());
            ps.setString(2, a.kind());
            ps.setString(3, a.state().name());
            ps.setBoolean(4, a.muted());
            ps.setString(5, a.orderId());
            ps.setString(6, a.storeId());
            ps.setString(7, a.chainId());
            ps.setString(8, a.region());
            JsonColumns.setTime(ps, 9, a.startedAt());
            JsonColumns.setTime(ps, 10, a.firstSeenAt());
            JsonColumns.setTime(ps, 11, a.lastSeenAt());
            JsonColumns.setTime(ps, 12, a.resolvedAt());
            JsonColumns.setTime(ps, 13, stored.changedAt());
            ps.setLong(14, stored.version());
            ps.setString(15, JsonColumns.write(a.details()));
            ps.executeUpdate();
        }
    }

    /** Marks that these FIRING alerts were seen to hold again at {@code now}. */
    public void touch(Connection c, Collection<String> fingerprints, OffsetDateTime now) throws SQLException {
        List<String> list = List.copyOf(fingerprints);
        for (int from = 0; from < list.size(); from += 500) {
            List<String> chunk = list.subList(from, Math.min(list.size(), from + 500));
            String sql = "UPDATE alert SET last_seen_at = ? WHERE state = 'FIRING' AND fingerprint IN (" + placeholders(chunk.size()) + ")";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                JsonColumns.setTime(ps, 1, now);
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 2, chunk.get(i));
                }
                ps.executeUpdate();
            }
        }
    }

    /** Appends a state change to the outbox, in the caller's transaction. */
    public void appendEvent(Connection c, AlertEvent event) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO alert_event (event_id, fingerprint, payload, created_at) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, event.eventId());
            ps.setString(2, event.alert().fingerprint());
            ps.setString(3, JsonColumns.write(event));
            JsonColumns.setTime(ps, 4, event.changedAt());
            ps.executeUpdate();
        }
    }

    /** An outbox row waiting to be published. */
    public record PendingEvent(long seq, String eventId, String payload) {}

    public List<PendingEvent> pendingEvents(Connection c, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT seq, event_id, payload FROM alert_event WHERE published_at IS NULL ORDER BY seq LIMIT ?")) {
            ps.setInt(1, limit);
            List<PendingEvent> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new PendingEvent(rs.getLong(1), rs.getString(2), rs.getString(3)));
                }
            }
            return out;
        }
    }

    public void markPublished(Connection c, long seq, OffsetDateTime at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE alert_event SET published_at = ? WHERE seq = ?")) {
            JsonColumns.setTime(ps, 1, at);
            ps.setLong(2, seq);
            ps.executeUpdate();
        }
    }

    public long countPending(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM alert_event WHERE published_at IS NULL");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Number of FIRING alerts per kind. */
    public Map<String, Long> countFiringByKind(Connection c) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT kind, COUNT(*) FROM alert WHERE state = 'FIRING' GROUP BY kind");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    public StoredAlert find(Connection c, String fingerprint) throws SQLException {
        Map<String, StoredAlert> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE fingerprint = ?")) {
            ps.setString(1, fingerprint);
            readInto(ps, out);
        }
        return out.get(fingerprint);
    }

    private static void readInto(PreparedStatement ps, Map<String, StoredAlert> out) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                StoredAlert s = map(rs);
                out.put(s.alert().fingerprint(), s);
            }
        }
    }

    static StoredAlert map(ResultSet rs) throws SQLException {
        Alert alert = new Alert(
                rs.getString("fingerprint"),
                rs.getString("kind"),
                AlertState.valueOf(rs.getString("state")),
                rs.getBoolean("muted"),
                rs.getString("order_id"),
                rs.getString("store_id"),
                rs.getString("chain_id"),
                rs.getString("region"),
                JsonColumns.getTime(rs, "started_at"),
                JsonColumns.getTime(rs, "first_seen_at"),
                JsonColumns.getTime(rs, "last_seen_at"),
                JsonColumns.getTime(rs, "resolved_at"),
                JsonColumns.readMap(rs.getString("details")));
        return new StoredAlert(alert, rs.getLong("version"), JsonColumns.getTime(rs, "changed_at"));
    }

    static String placeholders(int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> "?").collect(Collectors.joining(", "));
    }

    Dialect dialect() {
        return dialect;
    }
}
