package io.orderwatch.store;

import io.orderwatch.alert.Alert;
import io.orderwatch.alert.AlertEvent;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A sink's own view of the alerts it consumed from its queue: the latest version of each alert. A
 * redelivered or out-of-order older message never overwrites a newer one.
 */
public final class SinkAlerts {

    private static final List<String> COLUMNS = List.of("sink", "fingerprint", "kind", "state", "muted", "version", "payload", "received_at");

    private final Database db;
    private final String sink;

    public SinkAlerts(Database db, String sink) {
        this.db = db;
        this.sink = sink;
    }

    /** Records the event; returns false when a version at least as new was already recorded. */
    public boolean record(AlertEvent event, long version, OffsetDateTime now) {
        return db.inTransaction(c -> record(c, event, version, now));
    }

    /** The same, in the caller's transaction (so what the sink does with the change commits with it). */
    public boolean record(Connection c, AlertEvent event, long version, OffsetDateTime now) throws SQLException {
        Alert a = event.alert();
        Long current = null;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT version FROM sink_alert WHERE sink = ? AND fingerprint = ? FOR UPDATE")) {
            ps.setString(1, sink);
            ps.setString(2, a.fingerprint());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    current = rs.getLong(1);
                }
            }
        }
        if (current != null && current >= version) {
            return false;
        }
        String sql = current == null
                ? "INSERT INTO sink_alert (" + String.join(", ", COLUMNS) + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                : "UPDATE sink_alert SET sink = ?, fingerprint = ?, kind = ?, state = ?, muted = ?, version = ?, payload = ?, received_at = ?"
                  + " WHERE sink = ? AND fingerprint = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, sink);
            ps.setString(2, a.fingerprint());
            ps.setString(3, a.kind());
            ps.setString(4, a.state().name());
            ps.setBoolean(5, a.muted());
            ps.setLong(6, version);
            ps.setString(7, JsonColumns.write(a));
            JsonColumns.setTime(ps, 8, now);
            if (current != null) {
                ps.setString(9, sink);
                ps.setString(10, a.fingerprint());
            }
            ps.executeUpdate();
        }
        return true;
    }

    /** A consumed alert with the sink's bookkeeping. */
    public record Entry(Alert alert, OffsetDateTime receivedAt, OffsetDateTime notifiedAt) {}

    /** Alerts of a kind in a state, in fingerprint order. */
    public List<Entry> list(String kind, String state) {
        return db.read(c -> list(c, kind, state, null));
    }

    /**
     * The same in the caller's transaction; only those received after a time when one is given (so a
     * digest reads what changed since the last one, never every alert kept).
     */
    public List<Entry> list(Connection c, String kind, String state, OffsetDateTime receivedAfter) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT payload, received_at, notified_at FROM sink_alert WHERE sink = ? AND kind = ? "
                + "AND state = ?" + (receivedAfter == null ? "" : " AND received_at > ?") + " ORDER BY fingerprint")) {
            ps.setString(1, sink);
            ps.setString(2, kind);
            ps.setString(3, state);
            if (receivedAfter != null) {
                JsonColumns.setTime(ps, 4, receivedAfter);
            }
            List<Entry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Entry(JsonColumns.read(rs.getString(1), Alert.class),
                            JsonColumns.getTime(rs, "received_at"), JsonColumns.getTime(rs, "notified_at")));
                }
            }
            return out;
        }
    }

    /** Marks alerts as included in a notification (the first time only). */
    public void markNotified(Connection c, Collection<String> fingerprints, OffsetDateTime at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE sink_alert SET notified_at = ? WHERE sink = ? AND fingerprint = ? AND notified_at IS NULL")) {
            for (String fp : fingerprints) {
                JsonColumns.setTime(ps, 1, at);
                ps.setString(2, sink);
                ps.setString(3, fp);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public String sink() {
        return sink;
    }
}
