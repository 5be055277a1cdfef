package io.orderwatch.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which admin API sources are failing, and since when, in the shared database: every instance sees
 * the same, and the time a source began failing survives restarts and take-overs.
 */
public final class SourceHealth {

    private static final int MAX_PROBLEM = 1000;

    private final Database db;

    public SourceHealth(Database db) {
        this.db = db;
    }

    /** Records a failure; returns since when the source has been failing (the first failure is kept). */
    public Instant failed(String source, String problem, Instant now) {
        String text = problem == null ? "failed" : problem.length() <= MAX_PROBLEM ? problem : problem.substring(0, MAX_PROBLEM);
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT failing_since FROM source_health WHERE source = ? FOR UPDATE")) {
                ps.setString(1, source);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        Instant since = JsonColumns.getTime(rs, "failing_since").toInstant();
                        try (PreparedStatement u = c.prepareStatement("UPDATE source_health SET problem = ? WHERE source = ?")) {
                            u.setString(1, text);
                            u.setString(2, source);
                            u.executeUpdate();
                        }
                        return since;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO source_health (source, failing_since, problem) VALUES (?, ?, ?)")) {
                ps.setString(1, source);
                JsonColumns.setTime(ps, 2, now.atOffset(ZoneOffset.UTC));
                ps.setString(3, text);
                ps.executeUpdate();
            }
            return now;
        });
    }

    /** The source answered. */
    public void ok(String source) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM source_health WHERE source = ?")) {
                ps.setString(1, source);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** The failing sources and their problems, oldest failure first. */
    public Map<String, String> failing() {
        return db.read(c -> {
            Map<String, String> out = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT source, problem FROM source_health ORDER BY failing_since");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
            return out;
        });
    }
}
