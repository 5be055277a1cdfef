package io.orderwatch.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;

/** Records that failed validation, with their raw JSON and the reason. */
public final class Quarantine {

    private static final int MAX_REASON = 1000;

    private final Database db;

    public Quarantine(Database db) {
        this.db = db;
    }

    public void add(String source, String recordId, String reason, String rawJson, OffsetDateTime at) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO quarantine (source, record_id, reason, raw_json, received_at) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, source);
                ps.setString(2, recordId == null || recordId.length() <= 200 ? recordId : recordId.substring(0, 200));
                ps.setString(3, reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON));
                ps.setString(4, rawJson);
                JsonColumns.setTime(ps, 5, at);
                ps.executeUpdate();
            }
            return null;
        });
    }

    public long count(String source) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM quarantine WHERE source = ?")) {
                ps.setString(1, source);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }
}
