package io.orderwatch.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Deletes state that has served its purpose, table by table, oldest first, in bounded batches (one
 * short transaction each), so no table grows without end and no purge holds long locks. Called by the
 * purge-old-state route on one instance of a cluster.
 *
 * <p>What is kept how long is {@link #RULES}: one line per table, naming its key, the time column a
 * row's age is counted from, the condition that makes a row deletable at all, and the setting (with its
 * default) of how long such a row is kept. A new table gets one more line.
 */
public final class Retention {

    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

    /** Runs inside a batch's transaction just before its rows are deleted, with their keys. */
    @FunctionalInterface
    public interface BeforeDelete {
        void run(Connection c, List<Object[]> keys) throws SQLException;

        BeforeDelete NONE = (c, keys) -> {};
    }

    /**
     * One table's retention.
     *
     * @param table        the table
     * @param key          its primary key columns
     * @param timeColumn   the row's age counts from this time; a row where it is NULL is never deleted
     * @param condition    SQL that must also hold for a row to be deleted (null: any row old enough)
     * @param setting      how long a row is kept, e.g. orderwatch.retention.processed-events
     * @param fallback     the setting's default (the same as written in config/application.properties)
     * @param beforeDelete what must happen in the same transaction, e.g. remembering the purged versions
     */
    public record Rule(String table, List<String> key, String timeColumn, String condition, String setting, String fallback,
                       BeforeDelete beforeDelete) {

        public Rule(String table, List<String> key, String timeColumn, String condition, String setting, String fallback) {
            this(table, key, timeColumn, condition, setting, fallback, BeforeDelete.NONE);
        }

        String where() {
            return timeColumn + " < ?" + (condition == null ? "" : " AND (" + condition + ")");
        }
    }

    public static final List<Rule> RULES = List.of(
            // the outbox once published (never one still waiting for the broker)
            new Rule("alert_event", List.of("seq"), "published_at", null, "orderwatch.retention.published-alert-events", "7d"),
            // eventIds seen: a sender's retry of an event older than this would be processed again
            new Rule("processed_event", List.of("event_id"), "processed_at", null, "orderwatch.retention.processed-events", "30d"),
            // resolved alerts (a FIRING one is never deleted); the versions they reached are remembered
            new Rule("alert", List.of("fingerprint"), "resolved_at", "state = 'RESOLVED'", "orderwatch.retention.resolved-alerts", "30d",
                    Retention::rememberPurgedVersions),
            // each sink's view of resolved alerts
            new Rule("sink_alert", List.of("sink", "fingerprint"), "received_at", "state = 'RESOLVED'",
                    "orderwatch.retention.resolved-alerts", "30d"),
            // what the sinks have sent
            new Rule("notification_log", List.of("sink", "notification_key"), "sent_at", null, "orderwatch.retention.notification-log", "90d"),
            new Rule("quarantine", List.of("id"), "received_at", null, "orderwatch.retention.quarantine", "30d"),
            // the last version of orders that are completed or cancelled, counted from when it was last seen
            new Rule("order_snapshot", List.of("order_id"), "seen_at", "open = FALSE", "orderwatch.retention.final-order-snapshots", "30d"),
            // silences that have ended
            new Rule("silence", List.of("id"), "until_at", null, "orderwatch.retention.expired-silences", "30d"),
            // the delivery ledger: deliveries done (sent, or given up on by an operator), unless one covers an alert that
            // still fires (its message may still get a thread reply or an update, which need the post's peer reference)
            new Rule("delivery", List.of("id"), "updated_at", "state IN ('SENT', 'DISCARDED') AND NOT EXISTS (SELECT 1 FROM delivery_alert da "
                    + "JOIN alert a ON a.fingerprint = da.fingerprint WHERE da.delivery_id = delivery.id AND a.state = 'FIRING')",
                    "orderwatch.retention.deliveries", "90d", (c, keys) -> deleteChildren(c, "delivery_alert", "delivery_id", keys)),
            // Slack's message groups once every alert in them has resolved and nothing is waiting to be sent for them
            new Rule("slack_message", List.of("group_key"), "opened_at", "NOT EXISTS (SELECT 1 FROM slack_message_alert ma "
                    + "WHERE ma.group_key = slack_message.group_key AND ma.state = 'FIRING') AND NOT EXISTS (SELECT 1 FROM delivery d "
                    + "WHERE d.subject = slack_message.group_key AND d.state IN ('PENDING', 'SENDING', 'FAILED'))",
                    "orderwatch.retention.deliveries", "90d", (c, keys) -> deleteChildren(c, "slack_message_alert", "group_key", keys)),
            // broker dead letters that an operator replayed or discarded
            new Rule("dead_letter", List.of("id"), "updated_at", "state IN ('REPLAYED', 'DISCARDED')",
                    "orderwatch.retention.dead-letters", "30d"));

    /** Rows of a child table that belong to the parent rows about to be deleted. */
    private static void deleteChildren(Connection c, String table, String column, List<Object[]> keys) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE " + column + " = ?")) {
            for (Object[] k : keys) {
                ps.setObject(1, k[0]);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private final Database db;
    private final List<Rule> rules;
    private final Map<Rule, Duration> ages = new LinkedHashMap<>();
    private final int batchSize;
    private final int maxBatches;
    private final Clock clock;

    /**
     * @param age        how long rows of a setting are kept: the setting's value, or its fallback
     * @param batchSize  rows deleted per transaction
     * @param maxBatches batches per table and run at most; what is left waits for the next run
     */
    public Retention(Database db, List<Rule> rules, Function<Rule, Duration> age, int batchSize, int maxBatches, Clock clock) {
        if (batchSize < 1 || maxBatches < 1) {
            throw new IllegalArgumentException("batch size and batches per run must be at least 1");
        }
        this.db = db;
        this.rules = List.copyOf(rules);
        for (Rule r : this.rules) {
            Duration d = age.apply(r);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(r.setting() + " must be a positive duration, got " + d);
            }
            ages.put(r, d);
        }
        this.batchSize = batchSize;
        this.maxBatches = maxBatches;
        this.clock = clock;
    }

    /** One run over every table; returns the rows deleted per table (tables with none left out). */
    public Map<String, Integer> purge() {
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        Map<String, Integer> deleted = new LinkedHashMap<>();
        for (Rule r : rules) {
            OffsetDateTime before = now.minus(ages.get(r));
            int total = 0;
            for (int batch = 0; batch < maxBatches; batch++) {
                int n = db.inTransaction(c -> deleteBatch(c, r, before));
                total += n;
                if (n < batchSize) {
                    break;
                }
            }
            if (total > 0) {
                deleted.merge(r.table(), total, Integer::sum);
            }
        }
        if (!deleted.isEmpty()) {
            LOG.info("Retention: deleted {}", deleted);
        }
        return deleted;
    }

    /** The oldest rows that qualify, locked, then deleted by key (the condition checked again). */
    private int deleteBatch(Connection c, Rule r, OffsetDateTime before) throws SQLException {
        String keys = String.join(", ", r.key());
        List<Object[]> batch = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + keys + " FROM " + r.table() + " WHERE " + r.where()
                + " ORDER BY " + r.timeColumn() + " LIMIT ? FOR UPDATE")) {
            JsonColumns.setTime(ps, 1, before);
            ps.setInt(2, batchSize);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Object[] k = new Object[r.key().size()];
                    for (int i = 0; i < k.length; i++) {
                        k[i] = rs.getObject(i + 1);
                    }
                    batch.add(k);
                }
            }
        }
        if (batch.isEmpty()) {
            return 0;
        }
        r.beforeDelete().run(c, batch);
        String byKey = String.join(" AND ", r.key().stream().map(k -> k + " = ?").toList());
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + r.table() + " WHERE " + byKey + " AND " + r.where())) {
            for (Object[] k : batch) {
                for (int i = 0; i < k.length; i++) {
                    ps.setObject(i + 1, k[i]);
                }
                JsonColumns.setTime(ps, k.length + 1, before);
                ps.addBatch();
            }
            int n = 0;
            for (int count : ps.executeBatch()) {
                n += Math.max(count, 0);
            }
            return n;
        }
    }

    /** Alerts: the highest version deleted is kept, so the next alert of a fingerprint starts above it. */
    private static void rememberPurgedVersions(Connection c, List<Object[]> keys) throws SQLException {
        long max = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT version FROM alert WHERE fingerprint = ?")) {
            for (Object[] k : keys) {
                ps.setObject(1, k[0]);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        max = Math.max(max, rs.getLong(1));
                    }
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE alert_version_floor SET max_purged_version = ? WHERE id = 1 AND max_purged_version < ?")) {
            ps.setLong(1, max);
            ps.setLong(2, max);
            ps.executeUpdate();
        }
    }

    /** The rules with the age each is kept, for the start-up log and tests. */
    public Map<Rule, Duration> ages() {
        return Map.copyOf(ages);
    }
}
