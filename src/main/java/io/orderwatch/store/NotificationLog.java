package io.orderwatch.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Optional;

/** What each sink has sent, keyed so that the same notification is never sent twice across restarts. */
public final class NotificationLog {

    private final Database db;

    public NotificationLog(Database db) {
        this.db = db;
    }

    public boolean contains(String sink, String key) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT 1 FROM notification_log WHERE sink = ? AND notification_key = ?")) {
                ps.setString(1, sink);
                ps.setString(2, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** Records a sent notification in the caller's transaction; false when it was already recorded. */
    public boolean record(Connection c, String sink, String key, OffsetDateTime at, String outcome, String detail) throws SQLException {
        try (PreparedStatement check = c.prepareStatement(
                "SELECT 1 FROM notification_log WHERE sink = ? AND notification_key = ? FOR UPDATE")) {
            check.setString(1, sink);
            check.setString(2, key);
            try (ResultSet rs = check.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO notification_log (sink, notification_key, sent_at, outcome, detail) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, sink);
            ps.setString(2, key);
            JsonColumns.setTime(ps, 3, at);
            ps.setString(4, outcome);
            ps.setString(5, detail);
            ps.executeUpdate();
        }
        return true;
    }

    /** When this sink last sent a notification whose key starts with the prefix. */
    public Optional<OffsetDateTime> lastSent(String sink, String keyPrefix) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT MAX(sent_at) AS last FROM notification_log WHERE sink = ? AND notification_key LIKE ?")) {
                ps.setString(1, sink);
                ps.setString(2, keyPrefix + "%");
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(JsonColumns.getTime(rs, "last")) : Optional.empty();
                }
            }
        });
    }
}
