package io.orderwatch.store;

import io.orderwatch.model.Store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every pharmacy seen, persisted and cached in memory (there are thousands, not millions), so that
 * detection looks a store up without a query.
 */
public final class StoreDirectory {

    private static final List<String> COLUMNS = List.of("store_id", "chain_id", "status", "updated_at", "payload");

    private final Database db;
    private final String upsert;
    private final Map<String, Store> cache = new ConcurrentHashMap<>();

    public StoreDirectory(Database db) {
        this.db = db;
        this.upsert = db.dialect().upsert("store", List.of("store_id"), COLUMNS);
        refresh();
    }

    /**
     * Re-reads every pharmacy from the database, so that an instance that does not run the store
     * poller (only one instance of several does) judges orders against current pharmacies. A version
     * older than the one cached is ignored. Returns how many pharmacies it changed.
     */
    public int refresh() {
        return db.read(c -> {
            int changed = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT payload FROM store");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Store s = JsonColumns.read(rs.getString(1), Store.class);
                    Store before = cache.get(s.id());
                    if (before == null || !older(s, before) && !s.equals(before)) {
                        cache.put(s.id(), s);
                        changed++;
                    }
                }
            }
            return changed;
        });
    }

    private static boolean older(Store candidate, Store known) {
        return known.updatedAt() != null && candidate.updatedAt() != null && known.updatedAt().isAfter(candidate.updatedAt());
    }

    public Optional<Store> find(String storeId) {
        return storeId == null ? Optional.empty() : Optional.ofNullable(cache.get(storeId));
    }

    /** Saves the store unless a newer version is known; returns the version it replaced, if any. */
    public Optional<Store> save(Connection c, Store store) throws SQLException {
        Store before = cache.get(store.id());
        if (before != null && (older(store, before) || before.equals(store))) {
            return Optional.of(before);
        }
        try (PreparedStatement ps = c.prepareStatement(upsert)) {
            ps.setString(1, store.id());
            ps.setString(2, store.chainId());
            ps.setString(3, store.status().name());
            JsonColumns.setTime(ps, 4, store.updatedAt());
            ps.setString(5, JsonColumns.write(store));
            ps.executeUpdate();
        }
        cache.put(store.id(), store);
        return Optional.ofNullable(before);
    }

    /**
     * True when this very version of the pharmacy is the one stored (a poll re-reads every pharmacy of
     * its overlap window each time): there is nothing to write.
     */
    public boolean unchanged(Store store) {
        Store known = cache.get(store.id());
        return known != null && known.equals(store);
    }

    public int size() {
        return cache.size();
    }
}
