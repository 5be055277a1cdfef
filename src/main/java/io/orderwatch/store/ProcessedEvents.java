package io.orderwatch.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;

/** The eventIds already taken from the feed. */
public final class ProcessedEvents {

    /**
     * Marks the event as taken, in the caller's transaction; false when it was taken before (a retry by
     * the sender, or a redelivery), in which case the caller does nothing more.
     */
    public boolean markNew(Connection c, String eventId, String type, OffsetDateTime at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM processed_event WHERE event_id = ? FOR UPDATE")) {
            ps.setString(1, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO processed_event (event_id, type, processed_at) VALUES (?, ?, ?)")) {
            ps.setString(1, eventId);
            ps.setString(2, type);
            JsonColumns.setTime(ps, 3, at);
            ps.executeUpdate();
        }
        return true;
    }
}
