package io.orderwatch.store;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plans PostgreSQL takes for the lookups every alert makes, in the conditions that went wrong: a fresh
 * database whose tables grew before any ANALYZE, and statements prepared while the tables were small.
 * Each lookup by a unique key must go through that key, not walk another index that starts with "sink"
 * and filter all of the sink's rows, and a statement planned on a small table must not keep a sequential
 * scan once it has grown.
 */
class PostgresPlansTest {

    private static Database db;

    @BeforeAll
    static void open() {
        db = TestDatabases.postgres();
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void everyConnectionPlansWithItsParameters() {
        for (int i = 0; i < 3; i++) { // whichever pooled connection
            assertEquals("force_custom_plan", db.read(c -> one(c, "SHOW plan_cache_mode")));
        }
    }

    @Test
    void lookupsByKeyUseTheKeyInTablesNeverAnalyzed() {
        List<String> plans = db.read(c -> {
            try (Statement s = c.createStatement()) {
                // 5,000 rows of one sink in each table, and no ANALYZE: the planner knows nothing of their values
                s.execute("INSERT INTO sink_alert (sink, fingerprint, kind, state, muted, version, payload, received_at) "
                        + "SELECT 'tickets', 'EXPORT_FAILED:' || g, 'EXPORT_FAILED', 'FIRING', FALSE, 1, '{}', now() FROM generate_series(1, 5000) g");
                s.execute("INSERT INTO delivery (sink, target, lane, operation, dedup_key, subject, state, attempts, next_attempt_at, created_at, updated_at) "
                        + "SELECT 'tickets', 'usedesk', 'usedesk', 'ticket', 'ticket:EXPORT_FAILED:' || g, 'EXPORT_FAILED:' || g, 'PENDING', 0, now(), now(), now() "
                        + "FROM generate_series(1, 5000) g");
            }
            List<String> out = new ArrayList<>();
            out.add(plan(c, "EXPLAIN SELECT version FROM sink_alert WHERE sink = 'tickets' AND fingerprint = 'EXPORT_FAILED:42' FOR UPDATE"));
            out.add(plan(c, "EXPLAIN SELECT payload FROM sink_alert WHERE sink = 'tickets' AND fingerprint = 'EXPORT_FAILED:42'"));
            out.add(plan(c, "EXPLAIN SELECT id FROM delivery WHERE sink = 'tickets' AND dedup_key = 'ticket:EXPORT_FAILED:42'"));
            return out;
        });
        assertTrue(plans.get(0).contains("sink_alert_pkey"), plans.get(0));
        assertTrue(plans.get(1).contains("sink_alert_pkey"), plans.get(1));
        assertTrue(plans.get(2).contains("delivery_dedup_uq"), plans.get(2));
    }

    @Test
    void aStatementPreparedOnASmallTableIsPlannedAgainOnceItGrew() {
        String plan = db.read(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO ticket_watch (fingerprint, rule, due_at, state, updated_at) "
                        + "SELECT 'STUCK_ORDER:' || g, 'stuck', now(), 'WAITING', now() FROM generate_series(1, 20) g");
                s.execute("PREPARE lock_watches(text, text, text) AS SELECT fingerprint, state FROM ticket_watch "
                        + "WHERE fingerprint IN ($1, $2, $3) FOR UPDATE");
                for (int i = 0; i < 8; i++) { // past the five runs after which PostgreSQL may settle on a generic plan
                    s.execute("EXECUTE lock_watches('STUCK_ORDER:1', 'STUCK_ORDER:2', 'STUCK_ORDER:3')");
                }
                s.execute("INSERT INTO ticket_watch (fingerprint, rule, due_at, state, updated_at, facts) "
                        + "SELECT 'EXPORT_FAILED:' || g, 'export', now(), 'OPENED', now(), repeat('x', 1000) FROM generate_series(1, 20000) g");
                String p = plan(c, "EXPLAIN EXECUTE lock_watches('EXPORT_FAILED:1', 'EXPORT_FAILED:2', 'EXPORT_FAILED:3')");
                s.execute("DEALLOCATE lock_watches");
                return p;
            }
        });
        assertFalse(plan.contains("Seq Scan"), plan);
        assertTrue(plan.contains("ticket_watch_pkey"), plan);
    }

    private static String plan(Connection c, String explain) throws SQLException {
        StringBuilder b = new StringBuilder();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(explain)) {
            while (rs.next()) {
                b.append(rs.getString(1)).append('\n');
            }
        }
        return b.toString();
    }

    private static String one(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
