package io.orderwatch.notify.slack;

import io.orderwatch.alert.Alert;
import io.orderwatch.store.JsonColumns;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Slack sink's own state: the messages it keeps (one per group of alerts of one kind, one chain,
 * one channel, one window) and the alerts each shows (tables {@code slack_message},
 * {@code slack_message_alert}). Every method runs in the caller's transaction.
 */
final class SlackGroups {

    record Group(String key, String channel, String kind, String chainId, OffsetDateTime openedAt, long postId, int members) {}

    record Membership(String groupKey, String state, long postId, String channel) {}

    /** Where an alert was last shown, if anywhere. */
    Optional<Membership> latest(Connection c, String fingerprint) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT ma.group_key, ma.state, m.post_id, m.channel FROM slack_message_alert ma "
                + "JOIN slack_message m ON m.group_key = ma.group_key WHERE ma.fingerprint = ? ORDER BY m.opened_at DESC FETCH FIRST 1 ROWS ONLY")) {
            ps.setString(1, fingerprint);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Membership(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4)))
                        : Optional.empty();
            }
        }
    }

    /** The newest group of this channel, kind and chain opened after {@code since} (the caller holds the channel's lane). */
    Optional<Group> open(Connection c, String channel, String kind, String chainId, OffsetDateTime since) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT group_key, channel, kind, chain_id, opened_at, post_id, members FROM slack_message "
                + "WHERE channel = ? AND kind = ? AND " + (chainId == null ? "chain_id IS NULL" : "chain_id = ?")
                + " AND opened_at > ? ORDER BY opened_at DESC FETCH FIRST 1 ROWS ONLY")) {
            int i = 1;
            ps.setString(i++, channel);
            ps.setString(i++, kind);
            if (chainId != null) {
                ps.setString(i++, chainId);
            }
            JsonColumns.setTime(ps, i, since);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(group(rs)) : Optional.empty();
            }
        }
    }

    Optional<Group> get(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT group_key, channel, kind, chain_id, opened_at, post_id, members FROM slack_message WHERE group_key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(group(rs)) : Optional.empty();
            }
        }
    }

    void create(Connection c, Group g) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO slack_message (group_key, channel, kind, chain_id, opened_at, post_id, members) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, g.key());
            ps.setString(2, g.channel());
            ps.setString(3, g.kind());
            ps.setString(4, g.chainId());
            JsonColumns.setTime(ps, 5, g.openedAt());
            ps.setLong(6, g.postId());
            ps.setInt(7, g.members());
            ps.executeUpdate();
        }
    }

    /** Adds an alert as the group's next line. */
    void add(Connection c, Group g, Alert a) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO slack_message_alert (group_key, fingerprint, position, state, alert) "
                + "VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, g.key());
            ps.setString(2, a.fingerprint());
            ps.setInt(3, g.members() + 1);
            ps.setString(4, a.state().name());
            ps.setString(5, JsonColumns.write(a));
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE slack_message SET members = members + 1 WHERE group_key = ?")) {
            ps.setString(1, g.key());
            ps.executeUpdate();
        }
    }

    /** The alert as the message now shows it (resolved, or with newer facts). */
    void update(Connection c, String groupKey, Alert a) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE slack_message_alert SET state = ?, alert = ? WHERE group_key = ? AND fingerprint = ?")) {
            ps.setString(1, a.state().name());
            ps.setString(2, JsonColumns.write(a));
            ps.setString(3, groupKey);
            ps.setString(4, a.fingerprint());
            ps.executeUpdate();
        }
    }

    /** The group's alerts in the order they joined it. */
    List<SlackMessages.Member> members(Connection c, String groupKey) throws SQLException {
        List<SlackMessages.Member> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT state, alert FROM slack_message_alert WHERE group_key = ? ORDER BY position")) {
            ps.setString(1, groupKey);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new SlackMessages.Member(JsonColumns.read(rs.getString(2), Alert.class), "RESOLVED".equals(rs.getString(1))));
                }
            }
        }
        return out;
    }

    private static Group group(ResultSet rs) throws SQLException {
        return new Group(rs.getString("group_key"), rs.getString("channel"), rs.getString("kind"), rs.getString("chain_id"),
                JsonColumns.getTime(rs, "opened_at"), rs.getLong("post_id"), rs.getInt("members"));
    }
}
