package io.orderwatch.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The delivery ledger (table {@code delivery}, {@code delivery_alert}, {@code delivery_lane}). Every
 * method runs in the caller's transaction. A lane row is the mutex of its lane: whoever claims a
 * delivery of a lane, or changes what a pending delivery of it will send, locks that row first.
 */
public final class DeliveryLedger {

    private final Dialect dialect;

    /** For H2 or PostgreSQL; without a dialect, statements carry no index hints. */
    public DeliveryLedger(Dialect dialect) {
        this.dialect = dialect;
    }

    public DeliveryLedger() {
        this(Dialect.POSTGRES);
    }

    private static final String COLUMNS = "id, sink, target, lane, operation, dedup_key, subject, parent_id, state, attempts, "
            + "next_attempt_at, error_kind, last_error, peer_ref, payload, created_at, updated_at, sent_at";
    private static final int ERROR_CHARS = 1000;

    /** Writes a delivery unless one with its dedup key exists; returns the id either way. */
    public long enqueue(Connection c, Delivery.New d, OffsetDateTime now) throws SQLException {
        return enqueueAll(c, List.of(d), now).get(0);
    }

    /**
     * {@link #enqueue} for each delivery, in one go: the dedup keys looked up with one prepared statement,
     * the new rows written in one batch and their alerts in another (a new delivery covers no alert yet, so
     * none is looked up). A delivery whose key exists (in the ledger, or earlier in the list) is not written
     * and gets the existing id, its alerts left as they are, as with {@link #enqueue}. Returns the ids in the
     * list's order.
     */
    public List<Long> enqueueAll(Connection c, List<Delivery.New> ds, OffsetDateTime now) throws SQLException {
        Long[] ids = new Long[ds.size()];
        Map<String, Integer> first = new java.util.HashMap<>(); // sink + key of each one written -> its index
        List<Integer> fresh = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM delivery WHERE sink = ? AND dedup_key = ?")) {
            for (int i = 0; i < ds.size(); i++) {
                Delivery.New d = ds.get(i);
                if (first.containsKey(d.sink() + '\n' + d.dedupKey())) {
                    continue; // the same as an earlier one of the list: its id, filled below
                }
                ps.setString(1, d.sink());
                ps.setString(2, d.dedupKey());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        ids[i] = rs.getLong(1);
                        continue;
                    }
                }
                first.put(d.sink() + '\n' + d.dedupKey(), i);
                fresh.add(i);
            }
        }
        if (!fresh.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO delivery (sink, target, lane, operation, dedup_key, subject, parent_id, state, attempts, next_attempt_at, "
                            + "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?, ?)", new String[] {"id"})) {
                for (int i : fresh) {
                    Delivery.New d = ds.get(i);
                    ps.setString(1, d.sink());
                    ps.setString(2, cut(d.target(), 300));
                    ps.setString(3, cut(d.lane(), 340));
                    ps.setString(4, d.operation());
                    ps.setString(5, d.dedupKey());
                    ps.setString(6, d.subject());
                    if (d.parentId() == null) {
                        ps.setNull(7, java.sql.Types.BIGINT);
                    } else {
                        ps.setLong(7, d.parentId());
                    }
                    JsonColumns.setTime(ps, 8, d.dueAt());
                    JsonColumns.setTime(ps, 9, now);
                    JsonColumns.setTime(ps, 10, now);
                    ps.addBatch();
                }
                ps.executeBatch();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    for (int i : fresh) { // one key per row, in the batch's order
                        if (!keys.next()) {
                            throw new SQLException("the database returned fewer generated ids than deliveries written");
                        }
                        ids[i] = keys.getLong(1);
                    }
                }
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO delivery_alert (delivery_id, fingerprint, order_id) VALUES (?, ?, ?)")) {
                int n = 0;
                for (int i : fresh) {
                    java.util.Set<String> added = new java.util.HashSet<>();
                    for (Delivery.AlertRef a : ds.get(i).alerts()) {
                        if (added.add(a.fingerprint())) {
                            insert.setLong(1, ids[i]);
                            insert.setString(2, a.fingerprint());
                            insert.setString(3, a.orderId());
                            insert.addBatch();
                            n++;
                        }
                    }
                }
                if (n > 0) {
                    insert.executeBatch();
                }
            }
        }
        List<Long> out = new ArrayList<>(ds.size());
        for (int i = 0; i < ds.size(); i++) {
            Delivery.New d = ds.get(i);
            out.add(ids[i] != null ? ids[i] : ids[first.get(d.sink() + '\n' + d.dedupKey())]);
        }
        return out;
    }

    public Optional<Long> idOf(Connection c, String sink, String dedupKey) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM delivery WHERE sink = ? AND dedup_key = ?")) {
            ps.setString(1, sink);
            ps.setString(2, dedupKey);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    /**
     * Adds alerts to what a delivery covers; those it covers already are left as they are. Each is
     * looked up by its key, so a message that covers thousands of alerts costs the same per alert.
     */
    public void addAlerts(Connection c, long deliveryId, Collection<Delivery.AlertRef> alerts) throws SQLException {
        if (alerts.isEmpty()) {
            return;
        }
        try (PreparedStatement check = c.prepareStatement("SELECT 1 FROM delivery_alert WHERE delivery_id = ? AND fingerprint = ?");
             PreparedStatement insert = c.prepareStatement("INSERT INTO delivery_alert (delivery_id, fingerprint, order_id) VALUES (?, ?, ?)")) {
            java.util.Set<String> added = new java.util.HashSet<>();
            int n = 0;
            for (Delivery.AlertRef a : alerts) {
                if (!added.add(a.fingerprint())) {
                    continue;
                }
                check.setLong(1, deliveryId);
                check.setString(2, a.fingerprint());
                try (ResultSet rs = check.executeQuery()) {
                    if (rs.next()) {
                        continue;
                    }
                }
                insert.setLong(1, deliveryId);
                insert.setString(2, a.fingerprint());
                insert.setString(3, a.orderId());
                insert.addBatch();
                n++;
            }
            if (n > 0) {
                insert.executeBatch();
            }
        }
    }

    public List<Delivery.AlertRef> alertsOf(Connection c, long deliveryId) throws SQLException {
        return alertsOf(c, List.of(deliveryId)).getOrDefault(deliveryId, List.of());
    }

    public Map<Long, List<Delivery.AlertRef>> alertsOf(Connection c, Collection<Long> ids) throws SQLException {
        Map<Long, List<Delivery.AlertRef>> out = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        String in = String.join(", ", java.util.Collections.nCopies(ids.size(), "?"));
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT delivery_id, fingerprint, order_id FROM delivery_alert WHERE delivery_id IN (" + in + ") ORDER BY delivery_id, fingerprint")) {
            int i = 1;
            for (Long id : ids) {
                ps.setLong(i++, id);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new Delivery.AlertRef(rs.getString(2), rs.getString(3)));
                }
            }
        }
        return out;
    }

    public Optional<Delivery> get(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM delivery WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    /** The state of a delivery, its row locked for the caller's transaction. */
    public Optional<String> lockState(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT state FROM delivery WHERE id = ? FOR UPDATE")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** A PENDING delivery of this subject and operation (the one that will carry the next change), locked. */
    public Optional<Long> pending(Connection c, String sink, String subject, String operation) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM delivery WHERE sink = ? AND subject = ? AND operation = ? "
                + "AND state = 'PENDING' ORDER BY id FETCH FIRST 1 ROWS ONLY FOR UPDATE")) {
            ps.setString(1, sink);
            ps.setString(2, subject);
            ps.setString(3, operation);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    // ---- lanes ---------------------------------------------------------------------------

    /**
     * Serialises a sink's intakes about one key (a Slack channel: one open message per kind and chain,
     * not two), across instances, without holding the delivery core off the key's lane: a row of
     * {@code delivery_lane} that no delivery is on. What the intake decides from a delivery's state
     * (a post still PENDING shows a new line when it goes) is guarded by that delivery's row lock
     * ({@link #lockState}, {@link #pending}), which a claim takes by marking it SENDING before the
     * sink builds its request. A batch of intake holding the lane itself kept a channel's calls waiting
     * for as long as the batch took.
     */
    public void lockIntake(Connection c, String sink, String key, OffsetDateTime now) throws SQLException {
        lockLane(c, sink, INTAKE_PREFIX + key, now);
    }

    /** Where the intake locks of {@link #lockIntake} are kept in {@code delivery_lane}; never a delivery's lane. */
    static final String INTAKE_PREFIX = "intake:";

    /** The lane's row, locked for the caller's transaction (created on first use). */
    public Lane lockLane(Connection c, String sink, String lane, OffsetDateTime now) throws SQLException {
        for (int attempt = 0; attempt < 2; attempt++) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT next_at, held_until FROM delivery_lane WHERE sink = ? AND lane = ? FOR UPDATE")) {
                ps.setString(1, sink);
                ps.setString(2, lane);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return new Lane(sink, lane, JsonColumns.getTime(rs, "next_at"), JsonColumns.getTime(rs, "held_until"));
                    }
                }
            }
            // a concurrent first insert fails on the key; Database.inTransaction runs the work again
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO delivery_lane (sink, lane, next_at) VALUES (?, ?, ?)")) {
                ps.setString(1, sink);
                ps.setString(2, lane);
                JsonColumns.setTime(ps, 3, now);
                ps.executeUpdate();
            }
        }
        throw new SQLException("lane " + sink + "/" + lane + " could not be created");
    }

    public record Lane(String sink, String lane, OffsetDateTime nextAt, OffsetDateTime heldUntil) {
        public boolean free(OffsetDateTime now) {
            return !nextAt.isAfter(now) && (heldUntil == null || !heldUntil.isAfter(now));
        }
    }

    public void setLane(Connection c, String sink, String lane, OffsetDateTime nextAt, OffsetDateTime heldUntil) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE delivery_lane SET next_at = ?, held_until = ? WHERE sink = ? AND lane = ?")) {
            JsonColumns.setTime(ps, 1, nextAt);
            JsonColumns.setTime(ps, 2, heldUntil);
            ps.setString(3, sink);
            ps.setString(4, lane);
            ps.executeUpdate();
        }
    }

    /** How many of the lane's deliveries are claimed now (SENDING, their claim not lapsed): its calls in flight, on every instance. */
    public int inFlight(Connection c, String sink, String lane, OffsetDateTime now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM delivery WHERE sink = ? AND lane = ? AND state = 'SENDING' "
                + "AND next_attempt_at > ?")) {
            ps.setString(1, sink);
            ps.setString(2, lane);
            JsonColumns.setTime(ps, 3, now);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Lanes of a sink with a delivery due now (PENDING and due, or SENDING whose claim has lapsed). */
    public List<String> dueLanes(Connection c, String sink, OffsetDateTime now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT lane FROM delivery WHERE state IN ('PENDING', 'SENDING') "
                + "AND next_attempt_at <= ? AND sink = ?")) {
            JsonColumns.setTime(ps, 1, now);
            ps.setString(2, sink);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    /**
     * A claimed delivery; {@code inDoubt} when an earlier attempt may have reached the peer without its
     * answer being recorded (its claim lapsed: a crash), or was answered by a timeout.
     */
    public record Claim(Delivery delivery, boolean inDoubt, Delivery parent) {}

    /**
     * Claims the lane's next delivery that may go now: the oldest due one whose parent (if any) was sent.
     * The lane must be locked by the caller ({@link #lockLane}) and free.
     */
    public Optional<Claim> claimNext(Connection c, String sink, String lane, OffsetDateTime now, OffsetDateTime claimUntil) throws SQLException {
        Delivery next = null;
        Delivery parent = null;
        List<Delivery> due = new ArrayList<>(dueOfLane(c, sink, lane, Delivery.PENDING, now));
        due.addAll(dueOfLane(c, sink, lane, Delivery.SENDING, now));
        due.sort(java.util.Comparator.comparingLong(Delivery::id));
        for (Delivery d : due.subList(0, Math.min(CANDIDATES, due.size()))) {
            if (d.parentId() == null) {
                next = d;
            } else {
                Optional<Delivery> p = get(c, d.parentId());
                if (p.isPresent() && Delivery.SENT.equals(p.get().state())) {
                    next = d;
                    parent = p.get();
                }
            }
            if (next != null) {
                break;
            }
        }
        if (next == null) {
            return Optional.empty();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE delivery SET state = 'SENDING', attempts = attempts + 1, "
                + "next_attempt_at = ?, updated_at = ? WHERE id = ?")) {
            JsonColumns.setTime(ps, 1, claimUntil);
            JsonColumns.setTime(ps, 2, now);
            ps.setLong(3, next.id());
            ps.executeUpdate();
        }
        Delivery claimed = get(c, next.id()).orElseThrow();
        boolean inDoubt = Delivery.SENDING.equals(next.state()) || "in-doubt".equals(next.errorKind());
        return Optional.of(new Claim(claimed, inDoubt, parent));
    }

    /** How many of a lane's oldest due deliveries a claim looks through for one whose parent was sent. */
    private static final int CANDIDATES = 50;

    /**
     * The lane's oldest due deliveries in one state, read along {@code delivery_lane_idx} (lane, sink,
     * state, id) in its order, so that only the first few rows are read. H2 otherwise chose the due
     * index (state, next_attempt_at) and read every due delivery of every lane and sink on each claim:
     * a backlog of 1,000 made each call of a lane cost a walk of 1,000 rows. The ORDER BY names the
     * index's columns in the index's order: H2 reads an index in order only for exactly that
     * ({@code LedgerPlansTest}).
     */
    static String dueOfLaneSql(Dialect dialect) {
        return "SELECT " + COLUMNS + " FROM delivery" + dialect.indexHint("delivery_lane_idx")
                + " WHERE sink = ? AND lane = ? AND state = ? AND next_attempt_at <= ? ORDER BY lane, sink, state, id FETCH FIRST "
                + CANDIDATES + " ROWS ONLY";
    }

    private List<Delivery> dueOfLane(Connection c, String sink, String lane, String state, OffsetDateTime now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(dueOfLaneSql(dialect))) {
            ps.setString(1, sink);
            ps.setString(2, lane);
            ps.setString(3, state);
            JsonColumns.setTime(ps, 4, now);
            List<Delivery> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
            return out;
        }
    }

    // ---- outcomes ------------------------------------------------------------------------

    public void setPayload(Connection c, long id, String payload) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE delivery SET payload = ? WHERE id = ?")) {
            ps.setString(1, payload);
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    public void sent(Connection c, long id, String peerRef, OffsetDateTime now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE delivery SET state = 'SENT', peer_ref = ?, sent_at = ?, updated_at = ?, "
                + "next_attempt_at = ? WHERE id = ?")) {
            ps.setString(1, cut(peerRef, 300));
            JsonColumns.setTime(ps, 2, now);
            JsonColumns.setTime(ps, 3, now);
            JsonColumns.setTime(ps, 4, now);
            ps.setLong(5, id);
            ps.executeUpdate();
        }
    }

    public void retryAt(Connection c, long id, String errorKind, String error, OffsetDateTime nextAt, OffsetDateTime now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE delivery SET state = 'PENDING', error_kind = ?, last_error = ?, "
                + "next_attempt_at = ?, updated_at = ? WHERE id = ?")) {
            ps.setString(1, errorKind);
            ps.setString(2, cut(error, ERROR_CHARS));
            JsonColumns.setTime(ps, 3, nextAt);
            JsonColumns.setTime(ps, 4, now);
            ps.setLong(5, id);
            ps.executeUpdate();
        }
    }

    /** Failed for good; deliveries waiting on it (updates, replies) fail with it. Returns every id that failed. */
    public List<Long> failed(Connection c, long id, String errorKind, String error, OffsetDateTime now) throws SQLException {
        List<Long> ids = new ArrayList<>();
        ids.add(id);
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM delivery WHERE parent_id = ? AND state IN ('PENDING', 'SENDING')")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE delivery SET state = 'FAILED', error_kind = ?, last_error = ?, "
                + "updated_at = ? WHERE id = ?")) {
            for (Long each : ids) {
                ps.setString(1, errorKind);
                ps.setString(2, cut(each == id ? error : "the message it refers to was not delivered: " + error, ERROR_CHARS));
                JsonColumns.setTime(ps, 3, now);
                ps.setLong(4, each);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return ids;
    }

    /** A FAILED delivery (and those that failed with it) goes again, with a fresh maximum age. */
    public boolean replay(Connection c, long id, OffsetDateTime now) throws SQLException {
        int n;
        try (PreparedStatement ps = c.prepareStatement("UPDATE delivery SET state = 'PENDING', attempts = 0, next_attempt_at = ?, "
                + "created_at = ?, updated_at = ?, error_kind = NULL WHERE (id = ? OR parent_id = ?) AND state = 'FAILED'")) {
            JsonColumns.setTime(ps, 1, now);
            JsonColumns.setTime(ps, 2, now);
            JsonColumns.setTime(ps, 3, now);
            ps.setLong(4, id);
            ps.setLong(5, id);
            n = ps.executeUpdate();
        }
        return n > 0;
    }

    /** A FAILED delivery is given up on by an operator, with what waits on it. */
    public boolean discard(Connection c, long id, OffsetDateTime now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE delivery SET state = 'DISCARDED', updated_at = ? "
                + "WHERE (id = ? AND state = 'FAILED') OR (parent_id = ? AND state IN ('FAILED', 'PENDING'))")) {
            JsonColumns.setTime(ps, 1, now);
            ps.setLong(2, id);
            ps.setLong(3, id);
            return ps.executeUpdate() > 0;
        }
    }

    // ---- reading -------------------------------------------------------------------------

    /** Filters of GET /api/v1/deliveries; a page is ordered by (updated_at, id). */
    public record Query(String fingerprint, String orderId, String sink, String state, OffsetDateTime since,
                        OffsetDateTime afterAt, Long afterId, int limit) {}

    /** Up to limit + 1 deliveries (one more tells there is a next page), with the alerts they cover. */
    public List<Delivery> query(Connection c, Query q) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM delivery d WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (q.fingerprint() != null) {
            sql.append(" AND id IN (SELECT delivery_id FROM delivery_alert WHERE fingerprint = ?)");
            args.add(q.fingerprint());
        }
        if (q.orderId() != null) {
            sql.append(" AND id IN (SELECT delivery_id FROM delivery_alert WHERE order_id = ?)");
            args.add(q.orderId());
        }
        if (q.sink() != null) {
            sql.append(" AND sink = ?");
            args.add(q.sink());
        }
        if (q.state() != null) {
            sql.append(" AND state = ?");
            args.add(q.state());
        }
        if (q.since() != null) {
            sql.append(" AND updated_at >= ?");
            args.add(q.since());
        }
        if (q.afterAt() != null) {
            sql.append(" AND (updated_at > ? OR (updated_at = ? AND id > ?))");
            args.add(q.afterAt());
            args.add(q.afterAt());
            args.add(q.afterId());
        }
        sql.append(" ORDER BY updated_at, id FETCH FIRST ").append(q.limit() + 1).append(" ROWS ONLY");
        List<Delivery> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                Object a = args.get(i);
                if (a instanceof OffsetDateTime t) {
                    JsonColumns.setTime(ps, i + 1, t);
                } else if (a instanceof Long l) {
                    ps.setLong(i + 1, l);
                } else {
                    ps.setString(i + 1, (String) a);
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
        }
        return withAlerts(c, out);
    }

    /** Every delivery that covers an alert, oldest first, with the alerts each covers. */
    public List<Delivery> forAlert(Connection c, String fingerprint) throws SQLException {
        List<Delivery> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM delivery WHERE id IN "
                + "(SELECT delivery_id FROM delivery_alert WHERE fingerprint = ?) ORDER BY id")) {
            ps.setString(1, fingerprint);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
        }
        return withAlerts(c, out);
    }

    private List<Delivery> withAlerts(Connection c, List<Delivery> rows) throws SQLException {
        Map<Long, List<Delivery.AlertRef>> refs = alertsOf(c, rows.stream().map(Delivery::id).toList());
        return rows.stream().map(d -> d.withAlerts(refs.getOrDefault(d.id(), List.of()))).toList();
    }

    /** Deliveries not yet done (PENDING or SENDING) per sink, and the oldest one's creation time. */
    public record Backlog(long count, OffsetDateTime oldest) {}

    public Map<String, Backlog> backlog(Connection c) throws SQLException {
        Map<String, Backlog> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT sink, COUNT(*) AS n, MIN(created_at) AS oldest FROM delivery "
                + "WHERE state IN ('PENDING', 'SENDING') GROUP BY sink");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString("sink"), new Backlog(rs.getLong("n"), JsonColumns.getTime(rs, "oldest")));
            }
        }
        return out;
    }

    public long countInState(Connection c, String state) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM delivery WHERE state = ?")) {
            ps.setString(1, state);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Delivery row(ResultSet rs) throws SQLException {
        long parent = rs.getLong("parent_id");
        Long parentId = rs.wasNull() ? null : parent;
        return new Delivery(rs.getLong("id"), rs.getString("sink"), rs.getString("target"), rs.getString("lane"),
                rs.getString("operation"), rs.getString("dedup_key"), rs.getString("subject"), parentId, rs.getString("state"),
                rs.getInt("attempts"), JsonColumns.getTime(rs, "next_attempt_at"), rs.getString("error_kind"), rs.getString("last_error"),
                rs.getString("peer_ref"), rs.getString("payload"), JsonColumns.getTime(rs, "created_at"),
                JsonColumns.getTime(rs, "updated_at"), JsonColumns.getTime(rs, "sent_at"), List.of());
    }

    static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
