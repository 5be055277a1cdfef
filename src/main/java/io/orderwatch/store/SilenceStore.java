package io.orderwatch.store;

import io.orderwatch.alert.Silence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Silences, from the API and from config. */
public final class SilenceStore {

    private final Database db;

    public SilenceStore(Database db) {
        this.db = db;
    }

    public List<Silence> all() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, kind, store_id, chain_id, order_id, until_at, comment, created_by, created_at, origin FROM silence ORDER BY created_at, id");
                 ResultSet rs = ps.executeQuery()) {
                List<Silence> out = new ArrayList<>();
                while (rs.next()) {
                    Map<String, String> m = new LinkedHashMap<>();
                    put(m, "kind", rs.getString("kind"));
                    put(m, "storeId", rs.getString("store_id"));
                    put(m, "chainId", rs.getString("chain_id"));
                    put(m, "orderId", rs.getString("order_id"));
                    out.add(new Silence(rs.getString("id"), m, JsonColumns.getTime(rs, "until_at"), rs.getString("comment"),
                            rs.getString("created_by"), JsonColumns.getTime(rs, "created_at"), rs.getString("origin")));
                }
                return out;
            }
        });
    }

    public void save(Silence s) {
        db.inTransaction(c -> {
            delete(c, s.id());
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO silence (id, kind, store_id, chain_id, order_id, until_at, comment, "
                    + "created_by, created_at, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, s.id());
                ps.setString(2, s.matchers().get("kind"));
                ps.setString(3, s.matchers().get("storeId"));
                ps.setString(4, s.matchers().get("chainId"));
                ps.setString(5, s.matchers().get("orderId"));
                JsonColumns.setTime(ps, 6, s.until());
                ps.setString(7, s.comment());
                ps.setString(8, s.createdBy());
                JsonColumns.setTime(ps, 9, s.createdAt());
                ps.setString(10, s.origin());
                ps.executeUpdate();
            }
            return null;
        });
    }

    public boolean delete(String id) {
        return db.inTransaction(c -> delete(c, id));
    }

    /** Config silences not in the current config any more are removed. */
    public void retainConfig(java.util.Set<String> ids) {
        db.inTransaction(c -> {
            for (Silence s : all()) {
                if ("config".equals(s.origin()) && !ids.contains(s.id())) {
                    delete(c, s.id());
                }
            }
            return null;
        });
    }

    private static boolean delete(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM silence WHERE id = ?")) {
            ps.setString(1, id);
            return ps.executeUpdate() > 0;
        }
    }

    private static void put(Map<String, String> m, String k, String v) {
        if (v != null) {
            m.put(k, v);
        }
    }
}
