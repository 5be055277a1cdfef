package io.orderwatch.store;

import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The claim's read of a lane's next deliveries, on H2: along delivery_lane_idx in the index's order, so
 * that a backlog of thousands in the lane costs the first few rows, not a walk and a sort of all of them.
 */
class LedgerPlansTest {

    @Test
    void aLanesNextDeliveriesAreReadInIndexOrderWhateverItsBacklog() {
        try (Database db = TestDatabases.h2()) {
            String plan = db.inTransaction(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("INSERT INTO delivery (sink, target, lane, operation, dedup_key, state, attempts, next_attempt_at, created_at, updated_at) "
                            + "SELECT 'slack', '#ops', '#ops:post', 'post', 'post:' || \"X\", 'PENDING', 0, TIMESTAMP WITH TIME ZONE '2026-12-04 10:00:00+00', "
                            + "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM SYSTEM_RANGE(1, 5000)");
                }
                try (PreparedStatement ps = c.prepareStatement("EXPLAIN ANALYZE " + DeliveryLedger.dueOfLaneSql(db.dialect()))) {
                    ps.setString(1, "slack");
                    ps.setString(2, "#ops:post");
                    ps.setString(3, "PENDING");
                    ps.setObject(4, OffsetDateTime.of(2026, 12, 4, 12, 0, 0, 0, ZoneOffset.UTC));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getString(1);
                    }
                }
            });
            assertTrue(plan.contains("index sorted"), plan);
            java.util.regex.Matcher scanned = java.util.regex.Pattern.compile("scanCount: (\\d+)").matcher(plan);
            assertTrue(scanned.find(), plan);
            assertTrue(Integer.parseInt(scanned.group(1)) <= 60, "the first 50 of 5,000, not all: " + plan);
        }
    }
}
