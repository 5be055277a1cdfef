package io.orderwatch.notify.tickets;

import io.orderwatch.alert.Alert;
import io.orderwatch.alert.AlertBook;
import io.orderwatch.alert.AlertKind;
import io.orderwatch.alert.AlertState;
import io.orderwatch.alert.Finding;
import io.orderwatch.alert.Scope;
import io.orderwatch.model.Json;
import io.orderwatch.model.Order;
import io.orderwatch.model.Store;
import io.orderwatch.notify.delivery.DeliverySender;
import io.orderwatch.notify.delivery.Outcome;
import io.orderwatch.store.Database;
import io.orderwatch.store.Delivery;
import io.orderwatch.store.DeliveryLedger;
import io.orderwatch.store.JsonColumns;
import io.orderwatch.store.OrderSnapshots;
import io.orderwatch.store.SinkAlerts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tickets sink. Its intake (notify-tickets, from its own queue) records each alert change and, in the
 * same transaction, whether an escalation rule matches it and when its ticket is due (counted from the
 * alert's startedAt). escalate-tickets (clustered, one instance) and the intake itself open what is due:
 * with every required fact, one ledger delivery per alert (dedup key = fingerprint); without, a
 * TICKET_INCOMPLETE alert naming what is missing, until the facts are there. A resolution is one comment
 * on the ticket, a child delivery that waits until the ticket is created and carries its id.
 */
public final class TicketSink implements DeliverySender {

    private static final Logger LOG = LoggerFactory.getLogger(TicketSink.class);
    public static final String SINK = "tickets";
    public static final String TICKET_INCOMPLETE = "TICKET_INCOMPLETE";
    static final String WAITING = "WAITING";
    static final String INCOMPLETE = "INCOMPLETE";
    static final String OPENED = "OPENED";
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm");

    /** Reads an order's status afresh from the admin system just before a ticket is sent. */
    @FunctionalInterface
    public interface FreshStatus {
        /** @return the status (API value) now, empty when the admin system does not list the order */
        Optional<String> statusOf(String orderId, OffsetDateTime seenUpdatedAt) throws Exception;
    }

    private final Database db;
    private final SinkAlerts view;
    private final DeliveryLedger ledger;
    private final AlertBook book;
    private final TicketSettings settings;
    private final Map<String, TicketRule> rules = new LinkedHashMap<>();
    private final Helpdesk helpdesk;
    private final FreshStatus fresh;
    private final OrderSnapshots snapshots;
    private final ZoneId zone;
    private final String adminUiUrl;
    private final Clock clock;
    private final io.orderwatch.notify.SinkIntake intake;

    public TicketSink(Database db, SinkAlerts view, DeliveryLedger ledger, AlertBook book, TicketSettings settings, Helpdesk helpdesk,
                      FreshStatus fresh, ZoneId zone, String adminUiUrl, Clock clock) {
        this.db = db;
        this.view = view;
        this.ledger = ledger;
        this.book = book;
        this.settings = settings;
        settings.rules().forEach(r -> rules.put(r.name(), r));
        this.helpdesk = helpdesk;
        this.fresh = fresh;
        this.snapshots = new OrderSnapshots(db.dialect());
        this.zone = zone;
        this.adminUiUrl = adminUiUrl;
        this.clock = clock;
        this.intake = new io.orderwatch.notify.SinkIntake(db, view, clock);
    }

    // ---- intake ------------------------------------------------------------------------------

    /** Called by notify-tickets for each message of its queue; true when the change was new to this sink. */
    public boolean accept(String eventJson) throws IOException {
        return intake.accept(eventJson, this::change);
    }

    /** Several messages in one transaction (see {@link io.orderwatch.notify.SinkIntake#acceptAll}); how many were new. */
    public int acceptAll(List<String> eventJsons) throws IOException {
        return intake.acceptAll(eventJsons, this::change);
    }

    private void change(Connection c, Alert a, long version, OffsetDateTime now) throws SQLException {
        if (TICKET_INCOMPLETE.equals(a.kind())) {
            return; // news about tickets themselves goes to the other sinks (DELIVERY_FAILED about tickets: the intake)
        }
        Optional<Watch> watch = lockWatch(c, a.fingerprint());
        if (a.state() == AlertState.RESOLVED) {
            if (watch.isPresent() && OPENED.equals(watch.get().state()) && watch.get().deliveryId() != null) {
                comment(c, a, watch.get(), version, now);
            } else if (watch.isPresent()) {
                forget(c, a.fingerprint());
            }
            return;
        }
        if (watch.isPresent() && OPENED.equals(watch.get().state())) {
            return; // one ticket per alert: it exists
        }
        Order order = snapshots.find(c, a.orderId() == null ? "" : a.orderId()).orElse(null);
        Optional<TicketRule> rule = a.muted() ? Optional.empty() : settings.rules().stream().filter(r -> r.matches(a, order)).findFirst();
        Optional<OffsetDateTime> due = rule.flatMap(r -> r.dueAt(a));
        if (due.isEmpty()) {
            if (watch.isPresent()) {
                forget(c, a.fingerprint());
            }
            return;
        }
        saveWatch(c, a.fingerprint(), rule.get().name(), a.orderId(), due.get(), watch.map(Watch::state).orElse(WAITING), now);
        if (!due.get().isAfter(now)) {
            escalate(c, a.fingerprint(), now);
        }
    }

    // ---- escalation --------------------------------------------------------------------------

    /** Due watches one run of escalate-tickets looks at. */
    static final int RUN = 500;
    /** Due watches escalated in one transaction: with WRITE_DELAY=0 every H2 commit appends a chunk to the file. */
    static final int PAGE = 500;

    /**
     * Called by escalate-tickets on a clustered schedule: opens every ticket that is due (up to {@link #RUN}
     * per run, the longest due first), {@link #PAGE} to a transaction: the page's watches are locked in one
     * statement and re-checked, its orders, pharmacies and incomplete alarms read in one statement each, its
     * alerts by their key. Each watch is still escalated as alone (one ticket per alert: the watch's lock and
     * the ledger's dedup key "ticket:" + fingerprint). A page that fails for good is done again one
     * alert to a transaction, so one bad alert does not hold the others back. Returns how many it looked at.
     */
    public int escalateDue() {
        OffsetDateTime now = now();
        List<String> due = db.read(c -> dueWatches(c, now));
        RuntimeException failure = null;
        for (int from = 0; from < due.size(); from += PAGE) {
            List<String> page = due.subList(from, Math.min(due.size(), from + PAGE));
            try {
                db.inTransaction(c -> {
                    escalatePage(c, page, now);
                    return null;
                });
            } catch (RuntimeException pageFailed) {
                LOG.debug("escalating {} due tickets in one transaction failed ({}); one at a time", page.size(), pageFailed.getMessage());
                for (String fp : page) {
                    try {
                        db.inTransaction(c -> {
                            escalatePage(c, List.of(fp), now);
                            return null;
                        });
                    } catch (RuntimeException e) {
                        if (failure == null) {
                            failure = e;
                        }
                    }
                }
            }
        }
        if (failure != null) {
            throw failure; // the route's error handler logs it; the others were escalated, this one is tried next run
        }
        return due.size();
    }

    /**
     * The fingerprints of due watches, waiting ones first, each state's longest due first: one range per state of ticket_watch (state, due_at).
     * With "state IN (...)" or "ORDER BY due_at" alone H2 reads every due row and sorts them to return 500, so a
     * backlog of N due cost N rows per run (quadratic over the N / 500 runs that drain it).
     */
    private static List<String> dueWatches(Connection c, OffsetDateTime now) throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        for (String state : List.of(WAITING, INCOMPLETE)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT fingerprint, due_at FROM ticket_watch WHERE state = ? AND due_at <= ? "
                    + "ORDER BY state, due_at FETCH FIRST " + RUN + " ROWS ONLY")) { // "state, due_at": H2 reads the index in order, stops at RUN
                ps.setString(1, state);
                JsonColumns.setTime(ps, 2, now);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new Object[] {rs.getString(1), JsonColumns.getTime(rs, "due_at")});
                    }
                }
            }
        }
        // waiting watches first: each leaves WAITING when escalated, while an incomplete one stays until its facts
        // come, so 500 stuck incomplete watches taken by due time alone would hold every waiting one back
        return rows.stream().limit(RUN).map(r -> (String) r[0]).toList();
    }

    /** Escalates these watches in the caller's transaction: locked and re-checked, their alerts read, in one statement each. */
    private void escalatePage(Connection c, List<String> fps, OffsetDateTime now) throws SQLException {
        Map<String, Watch> watches = lockWatches(c, fps);
        Map<String, Alert> alerts = alerts(c, watches.keySet());
        Reads reads = pageReads(c, alerts.values());
        List<Opening> openings = new ArrayList<>();
        for (String fp : fps) {
            Watch w = watches.get(fp);
            if (w != null) {
                escalate(c, w, Optional.ofNullable(alerts.get(fp)), reads, now, openings);
            }
        }
        open(c, openings, now);
    }

    private void escalate(Connection c, String fp, OffsetDateTime now) throws SQLException {
        Optional<Watch> w = lockWatch(c, fp);
        if (w.isPresent()) {
            List<Opening> openings = new ArrayList<>(1);
            escalate(c, w.get(), alert(c, fp), rowReads(c), now, openings);
            open(c, openings, now);
        }
    }

    /** A ticket to open: its delivery, the job its watch keeps, and whether a TICKET_INCOMPLETE alarm of it is firing. */
    private record Opening(String fingerprint, Delivery.New delivery, String job, boolean incompleteFiring) {}

    /**
     * Opens these tickets in the caller's transaction, their watches locked: the ledger's deliveries in one
     * go (each by its dedup key "ticket:" + fingerprint, see {@link DeliveryLedger#enqueueAll}), the watches
     * marked OPENED in one batch, then the incomplete alarms of those that had one resolved.
     */
    private void open(Connection c, List<Opening> openings, OffsetDateTime now) throws SQLException {
        if (openings.isEmpty()) {
            return;
        }
        List<Long> ids = ledger.enqueueAll(c, openings.stream().map(Opening::delivery).toList(), now);
        try (PreparedStatement ps = c.prepareStatement("UPDATE ticket_watch SET state = ?, missing = NULL, facts = ?, delivery_id = ?, "
                + "updated_at = ? WHERE fingerprint = ?")) {
            for (int i = 0; i < openings.size(); i++) {
                ps.setString(1, OPENED);
                ps.setString(2, openings.get(i).job());
                ps.setLong(3, ids.get(i));
                JsonColumns.setTime(ps, 4, now);
                ps.setString(5, openings.get(i).fingerprint());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        for (Opening o : openings) {
            if (o.incompleteFiring()) {
                book.resolve(c, Finding.fingerprint(TICKET_INCOMPLETE, o.fingerprint()));
            }
        }
    }

    /** What escalating a watch reads besides the watch and its alert: one row at a time, or read ahead for a page. */
    private interface Reads {
        Order order(String orderId) throws SQLException;

        Store store(String storeId) throws SQLException;

        /** Whether a FIRING TICKET_INCOMPLETE alert exists for this watch (the watch's lock keeps it so). */
        boolean incompleteFiring(String fp) throws SQLException;
    }

    private Reads rowReads(Connection c) {
        return new Reads() {
            @Override
            public Order order(String orderId) throws SQLException {
                return snapshots.find(c, orderId == null ? "" : orderId).orElse(null);
            }

            @Override
            public Store store(String storeId) throws SQLException {
                return TicketSink.store(c, storeId);
            }

            @Override
            public boolean incompleteFiring(String fp) {
                return true; // AlertBook.resolve looks itself
            }
        };
    }

    /** The page's orders, pharmacies and firing TICKET_INCOMPLETE alerts, one statement each. */
    private Reads pageReads(Connection c, java.util.Collection<Alert> alerts) throws SQLException {
        Map<String, Order> orders = new java.util.HashMap<>();
        in(c, "SELECT order_id, payload FROM order_snapshot WHERE order_id IN ",
                alerts.stream().map(Alert::orderId).filter(java.util.Objects::nonNull).distinct().toList(),
                rs -> orders.put(rs.getString(1), JsonColumns.read(rs.getString(2), Order.class)));
        java.util.Set<String> storeIds = new java.util.HashSet<>();
        for (Alert a : alerts) {
            Order o = a.orderId() == null ? null : orders.get(a.orderId());
            String id = o != null ? o.storeId() : a.storeId();
            if (id != null) {
                storeIds.add(id);
            }
        }
        Map<String, Store> stores = new java.util.HashMap<>();
        in(c, "SELECT store_id, payload FROM store WHERE store_id IN ", List.copyOf(storeIds),
                rs -> stores.put(rs.getString(1), parsedStores.parse(rs.getString(1), rs.getString(2))));
        java.util.Set<String> incomplete = new java.util.HashSet<>();
        // by the primary key alone: with state = 'FIRING' in the WHERE, H2 may walk alert (state, resolved_at) instead
        in(c, "SELECT fingerprint, state FROM alert WHERE fingerprint IN ",
                alerts.stream().map(a -> Finding.fingerprint(TICKET_INCOMPLETE, a.fingerprint())).toList(),
                rs -> {
                    if (AlertState.FIRING.name().equals(rs.getString(2))) {
                        incomplete.add(rs.getString(1));
                    }
                });
        return new Reads() {
            @Override
            public Order order(String orderId) {
                return orderId == null ? null : orders.get(orderId);
            }

            @Override
            public Store store(String storeId) {
                return storeId == null ? null : stores.get(storeId);
            }

            @Override
            public boolean incompleteFiring(String fp) {
                return incomplete.contains(Finding.fingerprint(TICKET_INCOMPLETE, fp));
            }
        };
    }

    /**
     * Pharmacies as parsed from their row, by id, while the row reads the same: a page of 500 tickets names
     * a few hundred pharmacies, most of them those of the page before, and parsing one (its opening hours)
     * costs more than reading it. Bounded; the least recently used goes first.
     */
    private static final class ParsedStores {
        private static final int MAX = 4096;
        private final Map<String, Map.Entry<String, Store>> byId = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Map.Entry<String, Store>> eldest) {
                return size() > MAX;
            }
        };

        synchronized Store parse(String id, String payload) {
            Map.Entry<String, Store> known = byId.get(id);
            if (known != null && known.getKey().equals(payload)) {
                return known.getValue();
            }
            Store store = JsonColumns.read(payload, Store.class);
            byId.put(id, Map.entry(payload, store));
            return store;
        }
    }

    private final ParsedStores parsedStores = new ParsedStores();

    private interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    /**
     * Keys of one "IN (?, ?, ...)" statement. H2 checks every row the index finds against the whole list,
     * one comparison per key: a page's 500 keys in one list cost 250,000 comparisons per statement.
     */
    static final int IN_CHUNK = 50;

    private static void in(Connection c, String sql, List<String> keys, RowReader reader) throws SQLException {
        in(c, sql, keys, "", reader);
    }

    /**
     * Runs {@code sql} + "(?, ?, ...)" + {@code tail} over the keys, {@link #IN_CHUNK} at a time (one prepared
     * statement for every full chunk), handing each row to the reader.
     */
    private static void in(Connection c, String sql, List<String> keys, String tail, RowReader reader) throws SQLException {
        int full = keys.size() / IN_CHUNK * IN_CHUNK;
        if (full > 0) {
            try (PreparedStatement ps = c.prepareStatement(sql + "(" + placeholders(IN_CHUNK) + ")" + tail)) {
                for (int from = 0; from < full; from += IN_CHUNK) {
                    inChunk(ps, keys.subList(from, from + IN_CHUNK), reader);
                }
            }
        }
        if (full < keys.size()) {
            try (PreparedStatement ps = c.prepareStatement(sql + "(" + placeholders(keys.size() - full) + ")" + tail)) {
                inChunk(ps, keys.subList(full, keys.size()), reader);
            }
        }
    }

    private static void inChunk(PreparedStatement ps, List<String> chunk, RowReader reader) throws SQLException {
        for (int i = 0; i < chunk.size(); i++) {
            ps.setString(i + 1, chunk.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                reader.read(rs);
            }
        }
    }

    /**
     * One locked watch: its ticket if it is due and every fact is there (added to {@code openings}, for
     * {@link #open} to write), else TICKET_INCOMPLETE, or forgotten.
     */
    private void escalate(Connection c, Watch watch, Optional<Alert> seen, Reads reads, OffsetDateTime now, List<Opening> openings)
            throws SQLException {
        String fp = watch.fingerprint();
        Optional<Watch> w = Optional.of(watch);
        if (OPENED.equals(w.get().state()) || w.get().dueAt().isAfter(now)) {
            return;
        }
        TicketRule rule = rules.get(w.get().rule());
        if (seen.isEmpty() || rule == null || seen.get().state() != AlertState.FIRING) {
            forget(c, fp);
            return;
        }
        Alert a = seen.get();
        if (a.muted()) {
            return; // when its silence ends, the next run opens it
        }
        Order order = reads.order(a.orderId());
        Store store = reads.store(order != null ? order.storeId() : a.storeId());
        Map<String, String> facts = TicketFacts.of(a, order, store, zone, adminUiUrl, now.toInstant());
        List<String> missing = rule.template().missing(facts);
        if (!missing.isEmpty()) {
            String names = String.join(", ", missing.stream().map(m -> TicketFacts.NAMES.getOrDefault(m, m)).toList());
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("ticketFor", fp);
            details.put("rule", rule.name());
            details.put("category", rule.category());
            details.put("missing", missing);
            details.put("missingText", names);
            book.reconcile(c, Scope.raiseOnly(), List.of(new Finding(TICKET_INCOMPLETE, fp, a.orderId(), a.storeId(), a.chainId(), a.region(),
                    w.get().dueAt(), details)));
            if (!INCOMPLETE.equals(w.get().state()) || !names.equals(w.get().missing())) {
                LOG.info("Ticket for {} (order {}) not opened yet: missing {}", fp, a.orderId(), names);
            }
            updateWatch(c, fp, INCOMPLETE, names, null, null, now);
            return;
        }
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("fingerprint", fp);
        job.put("rule", rule.name());
        job.put("orderId", a.orderId());
        job.put("seenUpdatedAt", order == null || order.updatedAt() == null ? null : order.updatedAt().toString());
        job.put("facts", facts);
        openings.add(new Opening(fp, new Delivery.New(SINK, helpdesk.name(), helpdesk.name(), HelpdeskCall.TICKET, "ticket:" + fp, fp, null, now,
                List.of(new Delivery.AlertRef(fp, a.orderId()))), JsonColumns.write(job), reads.incompleteFiring(fp)));
    }

    private void comment(Connection c, Alert a, Watch w, long version, OffsetDateTime now) throws SQLException {
        String what = a.orderId() == null ? a.fingerprint() : "заказ " + a.orderId();
        OffsetDateTime at = a.resolvedAt() != null ? a.resolvedAt() : now;
        String text = "Проблема решена автоматически: " + what + " — " + problem(a) + " больше не наблюдается, "
                + WHEN.format(at.atZoneSameInstant(zone)) + " (" + zone.getId() + ").";
        long id = ledger.enqueue(c, new Delivery.New(SINK, helpdesk.name(), helpdesk.name(), HelpdeskCall.COMMENT,
                "comment:" + a.fingerprint() + "#" + version, a.fingerprint(), w.deliveryId(), now,
                List.of(new Delivery.AlertRef(a.fingerprint(), a.orderId()))), now);
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("text", text);
        ledger.setPayload(c, id, JsonColumns.write(job));
    }

    private static String problem(Alert a) {
        return switch (a.kind()) {
            case AlertKind.STUCK_ORDER -> "задержка заказа";
            case AlertKind.DELETED_STORE_ORDER -> "заказ в закрытой аптеке";
            case AlertKind.EXPORT_FAILED -> "ошибка передачи заказа в аптеку";
            default -> a.kind();
        };
    }

    /** The alert stopped matching (resolved before it was due, muted, another status): no ticket, no incomplete alarm. */
    private void forget(Connection c, String fp) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM ticket_watch WHERE fingerprint = ? AND state <> 'OPENED'")) {
            ps.setString(1, fp);
            ps.executeUpdate();
        }
        book.resolve(c, Finding.fingerprint(TICKET_INCOMPLETE, fp));
    }

    // ---- delivery ----------------------------------------------------------------------------

    @Override
    public String prepare(Connection c, DeliveryLedger.Claim claim) throws SQLException {
        Delivery d = claim.delivery();
        if (HelpdeskCall.COMMENT.equals(d.operation())) {
            Map<String, Object> job = new LinkedHashMap<>(JsonColumns.readMap(d.payload()));
            String ref = claim.parent().peerRef();
            String ticketId = ref.startsWith("outbox:") ? ref.substring("outbox:".length()) : ref;
            job.put("request", helpdesk.comment(ticketId, String.valueOf(job.get("text"))));
            return JsonColumns.write(job);
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT facts FROM ticket_watch WHERE fingerprint = ?")) {
            ps.setString(1, d.subject());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getString(1) == null) {
                    throw new SQLException("no ticket facts for " + d.subject());
                }
                return rs.getString(1);
            }
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public Outcome send(DeliveryLedger.Claim claim, String request) {
        Delivery d = claim.delivery();
        Map<String, Object> job;
        try {
            job = JsonColumns.readMap(request);
        } catch (RuntimeException e) {
            return Outcome.Failed.permanentFailure("unreadable ticket job: " + e.getMessage());
        }
        if (HelpdeskCall.COMMENT.equals(d.operation())) {
            HelpdeskCall call = Json.mapper().convertValue(job.get("request"), HelpdeskCall.class);
            return helpdesk.send(d.id(), call, claim.inDoubt());
        }
        TicketRule rule = rules.get(String.valueOf(job.get("rule")));
        if (rule == null) {
            return Outcome.Failed.permanentFailure("escalation rule " + job.get("rule") + " is no longer configured");
        }
        Map<String, String> facts = new LinkedHashMap<>((Map<String, String>) job.get("facts"));
        try {
            Object seen = job.get("seenUpdatedAt");
            Optional<String> status = fresh.statusOf(String.valueOf(job.get("orderId")), seen == null ? null : OffsetDateTime.parse(String.valueOf(seen)));
            facts.put(TicketFacts.ADMIN_STATUS, status.map(TicketFacts::label).orElse("заказ не найден в админке"));
        } catch (Exception e) {
            return Outcome.Failed.transientFailure("the order's status could not be read from the admin API: "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
        Ticket t = new Ticket(String.valueOf(job.get("fingerprint")), rule.category(), rule.template().subject(facts), rule.template().body(facts),
                facts.get("customerPhone"), facts.get("customerName"), facts.get("orderId"), rule.priority(), rule.tags(), rule.usedeskType());
        HelpdeskCall call = helpdesk.ticket(t);
        Map<String, Object> sent = new LinkedHashMap<>(job);
        sent.put("request", call);
        // kept as the delivery's payload with the answer (attempted): a commit of its own before each call
        // was one of the two per ticket. A crash in between leaves the prepared job, rebuilt from the facts anyway
        attempts.put(d.id(), JsonColumns.write(sent));
        return helpdesk.send(d.id(), call, claim.inDoubt());
    }

    /** The ticket as the helpdesk was sent it, by delivery id, until the dispatcher records the answer. */
    private final Map<Long, String> attempts = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public String attempted(DeliveryLedger.Claim claim) {
        return attempts.remove(claim.delivery().id());
    }

    @Override
    public Duration pace(String lane) {
        return settings.pace();
    }

    /** Tickets (and comments, each after its ticket) have no order between them: a few calls in flight. */
    @Override
    public int inFlight(String lane) {
        return settings.inFlight();
    }

    public String describe() {
        return helpdesk.describe();
    }

    // ---- state -------------------------------------------------------------------------------

    record Watch(String fingerprint, String rule, OffsetDateTime dueAt, String state, String missing, Long deliveryId) {}

    private Optional<Watch> lockWatch(Connection c, String fp) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT fingerprint, rule, due_at, state, missing, delivery_id FROM ticket_watch "
                + "WHERE fingerprint = ? FOR UPDATE")) {
            ps.setString(1, fp);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(watch(rs)) : Optional.empty();
            }
        }
    }

    private static Watch watch(ResultSet rs) throws SQLException {
        long delivery = rs.getLong("delivery_id");
        Long deliveryId = rs.wasNull() ? null : delivery;
        return new Watch(rs.getString("fingerprint"), rs.getString("rule"), JsonColumns.getTime(rs, "due_at"),
                rs.getString("state"), rs.getString("missing"), deliveryId);
    }

    private Map<String, Watch> lockWatches(Connection c, List<String> fps) throws SQLException {
        Map<String, Watch> out = new LinkedHashMap<>();
        if (fps.isEmpty()) {
            return out;
        }
        // in key order across the chunks, as one statement would lock them: two instances locking pages that
        // overlap take the same rows in the same order and cannot hold each other's
        List<String> sorted = fps.stream().sorted().toList();
        in(c, "SELECT fingerprint, rule, due_at, state, missing, delivery_id FROM ticket_watch WHERE fingerprint IN ", sorted, " FOR UPDATE", rs -> {
            Watch w = watch(rs);
            out.put(w.fingerprint(), w);
        });
        return out;
    }

    private static String placeholders(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    private void saveWatch(Connection c, String fp, String rule, String orderId, OffsetDateTime due, String state, OffsetDateTime now)
            throws SQLException {
        int n;
        try (PreparedStatement ps = c.prepareStatement("UPDATE ticket_watch SET rule = ?, order_id = ?, due_at = ?, updated_at = ? "
                + "WHERE fingerprint = ?")) {
            ps.setString(1, rule);
            ps.setString(2, orderId);
            JsonColumns.setTime(ps, 3, due);
            JsonColumns.setTime(ps, 4, now);
            ps.setString(5, fp);
            n = ps.executeUpdate();
        }
        if (n == 0) {
            // a concurrent first insert fails on the key; Database.inTransaction runs the work again
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO ticket_watch (fingerprint, rule, order_id, due_at, state, updated_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, fp);
                ps.setString(2, rule);
                ps.setString(3, orderId);
                JsonColumns.setTime(ps, 4, due);
                ps.setString(5, state);
                JsonColumns.setTime(ps, 6, now);
                ps.executeUpdate();
            }
        }
    }

    private void updateWatch(Connection c, String fp, String state, String missing, String facts, Long deliveryId, OffsetDateTime now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE ticket_watch SET state = ?, missing = ?, facts = COALESCE(?, facts), "
                + "delivery_id = COALESCE(?, delivery_id), updated_at = ? WHERE fingerprint = ?")) {
            ps.setString(1, state);
            ps.setString(2, missing);
            ps.setString(3, facts);
            if (deliveryId == null) {
                ps.setNull(4, java.sql.Types.BIGINT);
            } else {
                ps.setLong(4, deliveryId);
            }
            JsonColumns.setTime(ps, 5, now);
            ps.setString(6, fp);
            ps.executeUpdate();
        }
    }

    private Optional<Alert> alert(Connection c, String fp) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT payload FROM sink_alert WHERE sink = ? AND fingerprint = ?")) {
            ps.setString(1, SINK);
            ps.setString(2, fp);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(JsonColumns.read(rs.getString(1), Alert.class)) : Optional.empty();
            }
        }
    }

    /**
     * The sink's view of these alerts, by fingerprint. On H2 one prepared statement, a key lookup per alert,
     * not "sink = ? AND fingerprint IN (...)": H2 then uses only the key's first column and reads the sink's
     * whole view for every page. On PostgreSQL, which looks each key of an IN list up in the whole key, in
     * lists of {@link #IN_CHUNK}: a round trip per alert was a fifth of a page's time there.
     */
    private Map<String, Alert> alerts(Connection c, java.util.Collection<String> fps) throws SQLException {
        Map<String, Alert> out = new LinkedHashMap<>();
        if (fps.isEmpty()) {
            return out;
        }
        if (db.dialect() == io.orderwatch.store.Dialect.POSTGRES) {
            in(c, "SELECT fingerprint, payload FROM sink_alert WHERE sink = '" + SINK + "' AND fingerprint IN ", List.copyOf(fps),
                    rs -> out.put(rs.getString(1), JsonColumns.read(rs.getString(2), Alert.class)));
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT payload FROM sink_alert WHERE sink = ? AND fingerprint = ?")) {
            ps.setString(1, SINK);
            for (String fp : fps) {
                ps.setString(2, fp);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        out.put(fp, JsonColumns.read(rs.getString(1), Alert.class));
                    }
                }
            }
        }
        return out;
    }

    private static Store store(Connection c, String storeId) throws SQLException {
        if (storeId == null) {
            return null;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT payload FROM store WHERE store_id = ?")) {
            ps.setString(1, storeId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? JsonColumns.read(rs.getString(1), Store.class) : null;
            }
        }
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
