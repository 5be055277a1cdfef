package io.orderwatch.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Broker messages a consumer could not process, collected from the dead-letter address (table
 * {@code dead_letter}) so that they can be listed, replayed to their queue or discarded.
 */
public final class DeadLetters {

    public static final String DEAD = "DEAD";
    public static final String REPLAYED = "REPLAYED";
    public static final String DISCARDED = "DISCARDED";

    public record Message(long id, String messageId, String originQueue, String originAddress, String payload, String state,
                          OffsetDateTime receivedAt, OffsetDateTime updatedAt) {}

    /** Keeps a dead letter once per queue it failed on (a redelivery of the same broker message changes nothing). */
    public boolean collect(Connection c, String messageId, String originQueue, String originAddress, String payload, OffsetDateTime now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM dead_letter WHERE message_id = ? AND origin_queue = ?")) {
            ps.setString(1, messageId);
            ps.setString(2, originQueue);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO dead_letter (message_id, origin_queue, origin_address, payload, state, "
                + "received_at, updated_at) VALUES (?, ?, ?, ?, 'DEAD', ?, ?)")) {
            ps.setString(1, messageId);
            ps.setString(2, originQueue);
            ps.setString(3, originAddress);
            ps.setString(4, payload);
            JsonColumns.setTime(ps, 5, now);
            JsonColumns.setTime(ps, 6, now);
            ps.executeUpdate();
        }
        return true;
    }

    public List<Message> dead(Connection c, int limit) throws SQLException {
        List<Message> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM dead_letter WHERE state = 'DEAD' ORDER BY id FETCH FIRST " + limit + " ROWS ONLY");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(row(rs));
            }
        }
        return out;
    }

    /** The dead letter, locked for the caller's transaction. */
    public Optional<Message> lock(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM dead_letter WHERE id = ? FOR UPDATE")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    public void mark(Connection c, long id, String state, OffsetDateTime now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE dead_letter SET state = ?, updated_at = ? WHERE id = ?")) {
            ps.setString(1, state);
            JsonColumns.setTime(ps, 2, now);
            ps.setLong(3, id);
            ps.executeUpdate();
        }
    }

    public long countDead(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM dead_letter WHERE state = 'DEAD'"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Message row(ResultSet rs) throws SQLException {
        return new Message(rs.getLong("id"), rs.getString("message_id"), rs.getString("origin_queue"), rs.getString("origin_address"),
                rs.getString("payload"), rs.getString("state"), JsonColumns.getTime(rs, "received_at"), JsonColumns.getTime(rs, "updated_at"));
    }
}
