package io.orderwatch.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;

/** Records that failed validation, with their raw JSON and the reason. */
public final class Quarantine {

    private static final int MAX_REASON = 1000;

    private final Database db;

    public Quarantine(Database db) {
        this.db = db;
    }

    /**
     * Keeps a bad record with its raw JSON and the reason; false when exactly this record was already
     * kept (the same source, id, reason and bytes), so that a re-read is not counted twice.
     */
    public boolean add(String source, String recordId, String reason, String rawJson, OffsetDateTime at) {
        return db.inTransaction(c -> add(c, source, recordId, reason, rawJson, at));
    }

    /** The same, in the caller's transaction: kept only if the caller commits. */
    public boolean add(Connection c, String source, String recordId, String reason, String rawJson, OffsetDateTime at)
            throws SQLException {
        String id = recordId == null || recordId.length() <= 200 ? recordId : recordId.substring(0, 200);
        String why = reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON);
        String digest = digest(source, id, why, rawJson);
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM quarantine WHERE digest = ?")) {
            ps.setString(1, digest);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO quarantine (source, record_id, reason, raw_json, received_at, digest) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, source);
            ps.setString(2, id);
            ps.setString(3, why);
            ps.setString(4, rawJson);
            JsonColumns.setTime(ps, 5, at);
            ps.setString(6, digest);
            ps.executeUpdate();
        }
        return true;
    }

    private static String digest(String... parts) {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                md.update(String.valueOf(part).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
