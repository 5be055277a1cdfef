package io.orderwatch.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/** How far each poller has read, by the admin system's own updatedAt, so a restart resumes there. */
public final class Watermarks {

    private final Database db;
    private final String upsert;

    public Watermarks(Database db) {
        this.db = db;
        this.upsert = db.dialect().upsert("source_watermark", List.of("source"), List.of("source", "watermark", "updated_at"));
    }

    public Optional<OffsetDateTime> get(String source) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT watermark FROM source_watermark WHERE source = ?")) {
                ps.setString(1, source);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(JsonColumns.getTime(rs, "watermark")) : Optional.empty();
                }
            }
        });
    }

    /** Moves the watermark forward; never back. */
    public void advance(String source, OffsetDateTime watermark, OffsetDateTime now) {
        db.inTransaction(c -> {
            Optional<OffsetDateTime> current;
            try (PreparedStatement ps = c.prepareStatement("SELECT watermark FROM source_watermark WHERE source = ? FOR UPDATE")) {
                ps.setString(1, source);
                try (ResultSet rs = ps.executeQuery()) {
                    current = rs.next() ? Optional.of(JsonColumns.getTime(rs, "watermark")) : Optional.empty();
                }
            }
            if (current.isPresent() && !watermark.isAfter(current.get())) {
                return null;
            }
            try (PreparedStatement ps = c.prepareStatement(upsert)) {
                ps.setString(1, source);
                JsonColumns.setTime(ps, 2, watermark);
                JsonColumns.setTime(ps, 3, now);
                ps.executeUpdate();
            }
            return null;
        });
    }
}
