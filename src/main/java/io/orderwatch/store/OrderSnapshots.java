package io.orderwatch.store;

import io.orderwatch.model.Order;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** The last version of every order seen, from polls and events alike. */
public final class OrderSnapshots {

    private static final List<String> COLUMNS = List.of("order_id", "store_id", "status", "open", "updated_at", "seen_at", "payload");

    private final String upsert;

    public OrderSnapshots(Dialect dialect) {
        this.upsert = dialect.upsert("order_snapshot", List.of("order_id"), COLUMNS);
    }

    public Optional<Order> find(Connection c, String orderId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT payload FROM order_snapshot WHERE order_id = ?")) {
            ps.setString(1, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(JsonColumns.read(rs.getString(1), Order.class)) : Optional.empty();
            }
        }
    }

    /** Stores the order unless the stored version is newer (an event or a poll page may arrive late). */
    public boolean save(Connection c, Order order, OffsetDateTime seenAt) throws SQLException {
        Optional<OffsetDateTime> stored = updatedAt(c, order.id());
        if (stored.isPresent() && order.updatedAt() != null && stored.get().isAfter(order.updatedAt())) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement(upsert)) {
            ps.setString(1, order.id());
            ps.setString(2, order.storeId());
            ps.setString(3, order.status().name());
            ps.setBoolean(4, !order.isFinal());
            JsonColumns.setTime(ps, 5, order.updatedAt());
            JsonColumns.setTime(ps, 6, seenAt);
            ps.setString(7, JsonColumns.write(order));
            ps.executeUpdate();
        }
        return true;
    }

    /** Calls {@code each} for every open (non-final) order, streaming, in id order. */
    public void forEachOpen(Connection c, Consumer<Order> each) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT payload FROM order_snapshot WHERE open = TRUE ORDER BY order_id")) {
            stream(ps, each);
        }
    }

    /** Calls {@code each} for every open order of one pharmacy (by the store index, not a walk of all). */
    public void forEachOpenOfStore(Connection c, String storeId, Consumer<Order> each) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT payload FROM order_snapshot WHERE store_id = ? AND open = TRUE ORDER BY order_id")) {
            ps.setString(1, storeId);
            stream(ps, each);
        }
    }

    /**
     * Runs a query whose first column is an order's payload and hands each order on, 500 rows at a time.
     * PostgreSQL's driver honours a fetch size only inside a transaction (auto-commit off); with
     * auto-commit on it reads the whole result into memory first. So a caller's auto-commit connection
     * (Database.read) is switched to a read transaction for the walk, committed and switched back after.
     */
    private static void stream(PreparedStatement ps, Consumer<Order> each) throws SQLException {
        Connection c = ps.getConnection();
        boolean autoCommit = c.getAutoCommit();
        if (autoCommit) {
            c.setAutoCommit(false);
        }
        boolean done = false;
        try {
            ps.setFetchSize(500);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    each.accept(JsonColumns.read(rs.getString(1), Order.class));
                }
            }
            done = true;
        } finally {
            if (autoCommit) {
                try {
                    if (done) {
                        c.commit();
                    } else {
                        c.rollback();
                    }
                } finally {
                    c.setAutoCommit(true);
                }
            }
        }
    }

    private static Optional<OffsetDateTime> updatedAt(Connection c, String orderId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT updated_at FROM order_snapshot WHERE order_id = ?")) {
            ps.setString(1, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(JsonColumns.getTime(rs, "updated_at")) : Optional.empty();
            }
        }
    }
}
