package io.orderwatch.notify.email;

import io.orderwatch.alert.Alert;
import io.orderwatch.alert.AlertKind;
import io.orderwatch.alert.AlertState;
import io.orderwatch.model.Order;
import io.orderwatch.model.Store;
import io.orderwatch.notify.delivery.DeliverySender;
import io.orderwatch.notify.delivery.Outcome;
import io.orderwatch.observe.Metrics;
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
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The e-mail sink. Its intake (notify-email, from its own queue) records each alert change in the
 * sink's view and, in the same transaction, what must be e-mailed now: a composition change (changes of
 * one order within a window share one e-mail), SOURCE_DOWN and DELIVERY_FAILED and their resolution.
 * The scheduled e-mails (the stuck-order digest, the cities) are one ledger delivery per scheduled slot.
 * Every e-mail is built when the delivery core claims it, from the state then, and goes out through
 * the core: retried while SMTP is down, never twice for one slot or one change.
 *
 * <p>Lanes, one per kind of e-mail, so one failing kind never holds another: {@code stuck-digest},
 * {@code composition-change}, {@code city-digest}, {@code ops-alert}. The same names are the
 * deliveries' targets (what is sent, never to whom) and operations.
 */
public final class EmailSink implements DeliverySender {

    private static final Logger LOG = LoggerFactory.getLogger(EmailSink.class);
    public static final String SINK = "email";
    static final String DIGEST = MailTemplates.STUCK_DIGEST;
    static final String COMPOSITION = MailTemplates.COMPOSITION;
    static final String CITY = MailTemplates.CITY_DIGEST;
    static final String OPS = MailTemplates.OPS_ALERT;
    private static final DateTimeFormatter SLOT = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'");
    /** A digest that goes out this much after its slot says it is late, and why. */
    private static final Duration LATE = Duration.ofMinutes(2);
    /** How long a timed-out SMTP send is left to settle before the same message goes again. */
    private static final Duration IN_DOUBT_SETTLE = Duration.ofSeconds(30);

    /**
     * @param shifts          the team's shifts (the digest goes out only then, the first of a shift is a catch-up),
     *                        or null when DIGEST_CRON is set explicitly (every fire sends)
     * @param skipEmpty       no digest when nothing is stuck and nothing resolved
     * @param compositionWait changes of one order within this window make one e-mail
     */
    public record Settings(String from, List<String> digestTo, List<String> teamTo, ShiftSchedule shifts, boolean skipEmpty,
                           Duration compositionWait, Duration pace, int workers) {}

    private final Database db;
    private final SinkAlerts view;
    private final DeliveryLedger ledger;
    private final Settings settings;
    private final StuckDigest digest;
    private final TeamMails team;
    private final MailTransport transport;
    private final Metrics metrics;
    private final ZoneId zone;
    private final Clock clock;
    private final OrderSnapshots snapshots;
    private final String domain;
    private final io.orderwatch.notify.SinkIntake intake;

    public EmailSink(Database db, SinkAlerts view, DeliveryLedger ledger, Settings settings, StuckDigest digest, TeamMails team,
                     MailTransport transport, Metrics metrics, ZoneId zone, Clock clock) {
        this.db = db;
        this.view = view;
        this.ledger = ledger;
        this.settings = settings;
        this.digest = digest;
        this.team = team;
        this.transport = transport;
        this.metrics = metrics;
        this.zone = zone;
        this.clock = clock;
        this.snapshots = new OrderSnapshots(db.dialect());
        this.intake = new io.orderwatch.notify.SinkIntake(db, view, clock);
        String f = settings.from();
        this.domain = f.contains("@") ? f.substring(f.lastIndexOf('@') + 1).replaceAll("[^A-Za-z0-9.-]", "") : "orderwatch";
    }

    // ---- intake ------------------------------------------------------------------------------

    /** Called by notify-email for each message of its queue; true when the change was new to e-mail. */
    public boolean accept(String eventJson) throws IOException {
        return intake.accept(eventJson, this::change);
    }

    /** Several messages of its queue in one transaction (see {@link io.orderwatch.notify.SinkIntake#acceptAll}); how many were new. */
    public int acceptAll(List<String> eventJsons) throws IOException {
        return intake.acceptAll(eventJsons, this::change);
    }

    private void change(Connection c, Alert a, long version, OffsetDateTime now) throws SQLException {
        switch (a.kind()) {
            case AlertKind.COMPOSITION_CHANGED -> composition(c, a, now);
            case AlertKind.SOURCE_DOWN, AlertKind.DELIVERY_FAILED -> ops(c, a, now);
            default -> { } // stuck orders and cities are read from the view by their scheduled e-mails
        }
    }

    private void composition(Connection c, Alert a, OffsetDateTime now) throws SQLException {
        if (a.state() != AlertState.FIRING || a.muted() || a.orderId() == null || covered(c, a.fingerprint(), COMPOSITION)) {
            return; // the same change seen again (the poll, then the event): already in an e-mail
        }
        Delivery.AlertRef ref = new Delivery.AlertRef(a.fingerprint(), a.orderId());
        String subject = COMPOSITION + ":" + a.orderId();
        ledger.lockLane(c, SINK, COMPOSITION, now); // one intake at a time: one open e-mail per order, not two
        Optional<Long> open = ledger.pending(c, SINK, subject, COMPOSITION);
        if (open.isPresent()) {
            ledger.addAlerts(c, open.get(), List.of(ref));
            return;
        }
        ledger.enqueue(c, new Delivery.New(SINK, COMPOSITION, COMPOSITION, COMPOSITION, COMPOSITION + ":" + a.fingerprint(), subject, null,
                now.plus(settings.compositionWait()), List.of(ref)), now);
    }

    private void ops(Connection c, Alert a, OffsetDateTime now) throws SQLException {
        String firingKey = opsKey(a, AlertState.FIRING);
        Delivery.AlertRef ref = new Delivery.AlertRef(a.fingerprint(), a.orderId());
        if (a.state() == AlertState.FIRING) {
            if (!a.muted()) {
                ledger.enqueue(c, new Delivery.New(SINK, OPS, OPS, OPS, firingKey, a.fingerprint(), null, now, List.of(ref)), now);
            }
        } else if (ledger.idOf(c, SINK, firingKey).isPresent()) {
            ledger.enqueue(c, new Delivery.New(SINK, OPS, OPS, OPS, opsKey(a, AlertState.RESOLVED), a.fingerprint(), null, now,
                    List.of(ref)), now);
        }
    }

    /** One e-mail per occurrence and state: a new version of the same firing alert is not news. */
    private static String opsKey(Alert a, AlertState state) {
        OffsetDateTime since = a.firstSeenAt() != null ? a.firstSeenAt() : a.startedAt();
        return OPS + ":" + a.fingerprint() + ":" + (since == null ? "-" : since.toInstant().toEpochMilli()) + ":" + state.name();
    }

    private static boolean covered(Connection c, String fingerprint, String operation) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM delivery_alert da JOIN delivery d ON d.id = da.delivery_id "
                + "WHERE da.fingerprint = ? AND d.sink = ? AND d.operation = ? FETCH FIRST 1 ROWS ONLY")) {
            ps.setString(1, fingerprint);
            ps.setString(2, SINK);
            ps.setString(3, operation);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    // ---- scheduled e-mails ----------------------------------------------------------------------

    /**
     * Called by send-stuck-digest with Quartz's scheduled fire time: one delivery per slot (its dedup
     * key), also across restarts and instances; the delivery core sends it and retries it.
     */
    public String stuckDigestDue(Date scheduledFireTime) {
        Instant slot = slot(scheduledFireTime);
        if (settings.shifts() != null && !settings.shifts().digestDue(slot, zone)) {
            return "nobody on shift";
        }
        String key = DIGEST + ":" + SLOT.format(slot.atOffset(ZoneOffset.UTC));
        OffsetDateTime now = now();
        return db.inTransaction(c -> {
            if (ledger.idOf(c, SINK, key).isPresent()) {
                return "already queued";
            }
            if (settings.skipEmpty()) {
                Instant since = since(c, DIGEST, Long.MAX_VALUE, slot);
                boolean stuck = viewList(c, AlertKind.STUCK_ORDER, "FIRING").stream().anyMatch(e -> !e.alert().muted());
                boolean resolved = !viewList(c, AlertKind.STUCK_ORDER, "RESOLVED", since).isEmpty();
                if (!stuck && !resolved) {
                    metrics.delivery(SINK, DIGEST, "skipped");
                    return "nothing stuck";
                }
            }
            ledger.enqueue(c, new Delivery.New(SINK, DIGEST, DIGEST, DIGEST, key, slot.toString(), null, now, List.of()), now);
            return "queued";
        });
    }

    /** Called by send-city-digest on CITY_DIGEST_CRON: one delivery per slot, none when nobody asked for a city since the last. */
    public String cityDigestDue(Date scheduledFireTime) {
        Instant slot = slot(scheduledFireTime);
        String key = CITY + ":" + SLOT.format(slot.atOffset(ZoneOffset.UTC));
        OffsetDateTime now = now();
        return db.inTransaction(c -> {
            if (ledger.idOf(c, SINK, key).isPresent()) {
                return "already queued";
            }
            Optional<OffsetDateTime> previous = lastCityDigest(c, Long.MAX_VALUE);
            boolean asked = viewList(c, AlertKind.CITY_REQUEST, "FIRING").stream()
                    .anyMatch(e -> !e.alert().muted() && (previous.isEmpty() || e.receivedAt().isAfter(previous.get())));
            if (!asked) {
                metrics.delivery(SINK, CITY, "skipped");
                return "no cities";
            }
            ledger.enqueue(c, new Delivery.New(SINK, CITY, CITY, CITY, key, slot.toString(), null, now, List.of()), now);
            return "queued";
        });
    }

    private Instant slot(Date scheduledFireTime) {
        return (scheduledFireTime == null ? clock.instant() : scheduledFireTime.toInstant()).truncatedTo(ChronoUnit.MINUTES);
    }

    // ---- delivery ----------------------------------------------------------------------------

    @Override
    public String prepare(Connection c, DeliveryLedger.Claim claim) throws SQLException {
        Delivery d = claim.delivery();
        if (claim.inDoubt() && d.payload() != null) {
            return d.payload(); // the very same message (same Message-ID) again: SMTP cannot be asked whether it has it
        }
        OutgoingMail mail = switch (d.operation()) {
            case DIGEST -> stuckDigest(c, d);
            case COMPOSITION -> composition(c, d);
            case CITY -> cities(c, d);
            case OPS -> ops(c, d);
            default -> throw new SQLException("unknown e-mail operation " + d.operation());
        };
        return JsonColumns.write(mail);
    }

    private OutgoingMail stuckDigest(Connection c, Delivery d) throws SQLException {
        Instant slot = Instant.parse(d.subject());
        Instant now = clock.instant();
        Instant since = since(c, DIGEST, d.id(), slot);
        Instant catchUp = null;
        if (settings.shifts() != null && settings.shifts().firstOfShift(slot, zone)) {
            catchUp = settings.shifts().lastShiftEnd(slot, zone);
            since = catchUp.isBefore(since) ? catchUp : since;
        }
        Instant from = since;
        List<SinkAlerts.Entry> firing = viewList(c, AlertKind.STUCK_ORDER, "FIRING").stream().filter(e -> !e.alert().muted()).toList();
        // new: in no earlier digest (an earlier attempt of this one marked them with its own time)
        Set<String> newOnes = firing.stream().filter(e -> e.notifiedAt() == null || !e.notifiedAt().isBefore(d.createdAt()))
                .map(e -> e.alert().fingerprint()).collect(Collectors.toSet());
        // only those resolved since the last digest are read, never every resolved alert ever kept
        List<Alert> resolved = viewList(c, AlertKind.STUCK_ORDER, "RESOLVED", from).stream().map(SinkAlerts.Entry::alert).toList();
        String late = null;
        if (Duration.between(slot, now).compareTo(LATE) > 0) {
            late = "сводка на " + DateTimeFormatter.ofPattern("HH:mm").format(slot.atZone(zone)) + " отправлена в "
                    + DateTimeFormatter.ofPattern("HH:mm").format(now.atZone(zone)) + ", "
                    + (d.lastError() != null ? "почта была недоступна: " + d.lastError() : "orderwatch не работал в назначенное время");
        }
        Map<String, Optional<Store>> stores = new HashMap<>();
        Function<String, Optional<Store>> lookup = id -> stores.computeIfAbsent(id, k -> store(c, k));
        List<Alert> alerts = firing.stream().map(SinkAlerts.Entry::alert).toList();
        MailTemplates.Rendered r = digest.render(new StuckDigest.Input(alerts, newOnes, resolved, now, catchUp, late, lookup));
        view.markNotified(c, alerts.stream().map(Alert::fingerprint).toList(), d.createdAt());
        String id = "<" + DIGEST + "-" + SLOT.format(slot.atOffset(ZoneOffset.UTC)) + "@" + domain + ">";
        OutgoingMail mail = new OutgoingMail(id, settings.from(), settings.digestTo(), r.subject(), r.text(), r.html());
        // each day's digests are one thread: the first of the day, then each answering the one before
        List<String> sameDay = digestsOfDay(c, d.id(), slot.atZone(zone).toLocalDate());
        return sameDay.isEmpty() ? mail : mail.threaded(sameDay.get(sameDay.size() - 1), threadRefs(sameDay));
    }

    private OutgoingMail composition(Connection c, Delivery d) throws SQLException {
        List<String> fps = ledger.alertsOf(c, d.id()).stream().map(Delivery.AlertRef::fingerprint).toList();
        List<Alert> changes = viewAlerts(c, fps);
        if (changes.isEmpty()) {
            throw new SQLException("composition e-mail " + d.id() + " covers no alert the e-mail sink knows");
        }
        Order order = snapshots.find(c, changes.get(0).orderId()).orElse(null);
        MailTemplates.Rendered r = team.composition(changes, order);
        return new OutgoingMail(uniqueId(d), settings.from(), settings.teamTo(), r.subject(), r.text(), r.html());
    }

    private OutgoingMail cities(Connection c, Delivery d) throws SQLException {
        Optional<OffsetDateTime> previous = lastCityDigest(c, d.id());
        List<Alert> cities = viewList(c, AlertKind.CITY_REQUEST, "FIRING").stream()
                .filter(e -> !e.alert().muted() && (previous.isEmpty() || e.receivedAt().isAfter(previous.get()))
                        && !e.receivedAt().isAfter(d.createdAt()))
                .map(SinkAlerts.Entry::alert).toList();
        MailTemplates.Rendered r = team.cities(cities, previous.map(OffsetDateTime::toInstant).orElse(null), Instant.parse(d.subject()));
        String id = "<" + CITY + "-" + SLOT.format(Instant.parse(d.subject()).atOffset(ZoneOffset.UTC)) + "@" + domain + ">";
        return new OutgoingMail(id, settings.from(), settings.teamTo(), r.subject(), r.text(), r.html());
    }

    private OutgoingMail ops(Connection c, Delivery d) throws SQLException {
        List<Alert> found = viewAlerts(c, List.of(d.subject()));
        if (found.isEmpty()) {
            throw new SQLException("ops e-mail " + d.id() + ": no alert " + d.subject());
        }
        Alert a = found.get(0);
        AlertState state = d.dedupKey().endsWith(":" + AlertState.FIRING.name()) ? AlertState.FIRING : AlertState.RESOLVED;
        // as it was when it happened: a late "down" e-mail does not claim it is already over
        Alert as = new Alert(a.fingerprint(), a.kind(), state, a.muted(), a.orderId(), a.storeId(), a.chainId(), a.region(), a.startedAt(),
                a.firstSeenAt(), a.lastSeenAt(), state == AlertState.FIRING ? null : a.resolvedAt(), a.details());
        MailTemplates.Rendered r = team.ops(as, clock.instant());
        OutgoingMail mail = new OutgoingMail(uniqueId(d), settings.from(), settings.teamTo(), r.subject(), r.text(), r.html());
        if (state == AlertState.RESOLVED) {
            Optional<String> firing = peerRefOf(c, d.dedupKey().substring(0, d.dedupKey().length() - AlertState.RESOLVED.name().length())
                    + AlertState.FIRING.name());
            if (firing.isPresent()) {
                return mail.threaded(firing.get(), List.of(firing.get()));
            }
        }
        return mail;
    }

    @Override
    public Outcome send(DeliveryLedger.Claim claim, String request) {
        OutgoingMail mail;
        try {
            mail = JsonColumns.read(request, OutgoingMail.class);
        } catch (RuntimeException e) {
            return Outcome.Failed.permanentFailure("unreadable e-mail: " + e.getMessage());
        }
        try {
            String how = transport.send(mail);
            if (claim.delivery().attempts() > 1 && DIGEST.equals(claim.delivery().operation())) {
                LOG.info("Stuck-order digest {} went out after {} attempts", claim.delivery().subject(), claim.delivery().attempts());
            }
            return new Outcome.Sent(("outbox".equals(how) ? "outbox:" : "") + mail.messageId());
        } catch (MailDeliveryException e) {
            if (e.inDoubt()) {
                return Outcome.Failed.inDoubt(e.getMessage(), IN_DOUBT_SETTLE);
            }
            return e.transient_() ? Outcome.Failed.transientFailure(e.getMessage()) : Outcome.Failed.permanentFailure(e.getMessage());
        }
    }

    @Override
    public Duration pace(String lane) {
        return settings.pace();
    }

    public String describe() {
        return transport.describe();
    }

    // ---- reading -----------------------------------------------------------------------------

    /** Since when "resolved since the last digest" counts: the last digest sent before this one, else an hour before the slot. */
    private static Instant since(Connection c, String operation, long beforeId, Instant slot) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT MAX(sent_at) AS last FROM delivery WHERE sink = ? AND operation = ? "
                + "AND state = 'SENT' AND id < ?")) {
            ps.setString(1, SINK);
            ps.setString(2, operation);
            ps.setLong(3, beforeId);
            try (ResultSet rs = ps.executeQuery()) {
                OffsetDateTime last = rs.next() ? JsonColumns.getTime(rs, "last") : null;
                return last == null ? slot.minus(Duration.ofHours(1)) : last.toInstant();
            }
        }
    }

    private static Optional<OffsetDateTime> lastCityDigest(Connection c, long beforeId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT MAX(created_at) AS last FROM delivery WHERE sink = ? AND operation = ? "
                + "AND state <> 'DISCARDED' AND id < ?")) {
            ps.setString(1, SINK);
            ps.setString(2, CITY);
            ps.setLong(3, beforeId);
            try (ResultSet rs = ps.executeQuery()) {
                return Optional.ofNullable(rs.next() ? JsonColumns.getTime(rs, "last") : null);
            }
        }
    }

    /** Message-IDs of the digests sent earlier the same day (team zone), oldest first. */
    private List<String> digestsOfDay(Connection c, long beforeId, LocalDate day) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT subject, peer_ref FROM delivery WHERE sink = ? AND operation = ? "
                + "AND state = 'SENT' AND id < ? ORDER BY id DESC FETCH FIRST 48 ROWS ONLY")) {
            ps.setString(1, SINK);
            ps.setString(2, DIGEST);
            ps.setLong(3, beforeId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (Instant.parse(rs.getString(1)).atZone(zone).toLocalDate().equals(day) && rs.getString(2) != null) {
                        out.add(0, bare(rs.getString(2)));
                    }
                }
            }
        }
        return out;
    }

    /** The first of the thread and the last few: References stays short however many digests a day has. */
    private static List<String> threadRefs(List<String> ids) {
        if (ids.size() <= 5) {
            return ids;
        }
        List<String> out = new ArrayList<>();
        out.add(ids.get(0));
        out.addAll(ids.subList(ids.size() - 4, ids.size()));
        return out;
    }

    private static Optional<String> peerRefOf(Connection c, String dedupKey) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT peer_ref FROM delivery WHERE sink = ? AND dedup_key = ? AND state = 'SENT'")) {
            ps.setString(1, SINK);
            ps.setString(2, dedupKey);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getString(1) != null ? Optional.of(bare(rs.getString(1))) : Optional.empty();
            }
        }
    }

    private static String bare(String peerRef) {
        return peerRef.startsWith("outbox:") ? peerRef.substring("outbox:".length()) : peerRef;
    }

    private String uniqueId(Delivery d) {
        return "<" + d.operation() + "-" + d.id() + "." + d.createdAt().toInstant().toEpochMilli() + "@" + domain + ">";
    }

    private List<SinkAlerts.Entry> viewList(Connection c, String kind, String state) throws SQLException {
        return view.list(c, kind, state, null);
    }

    private List<SinkAlerts.Entry> viewList(Connection c, String kind, String state, Instant receivedAfter) throws SQLException {
        return view.list(c, kind, state, receivedAfter.atOffset(ZoneOffset.UTC));
    }

    private List<Alert> viewAlerts(Connection c, List<String> fingerprints) throws SQLException {
        List<Alert> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT payload FROM sink_alert WHERE sink = ? AND fingerprint = ?")) {
            for (String fp : fingerprints) {
                ps.setString(1, SINK);
                ps.setString(2, fp);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        out.add(JsonColumns.read(rs.getString(1), Alert.class));
                    }
                }
            }
        }
        return out;
    }

    private static Optional<Store> store(Connection c, String storeId) {
        try (PreparedStatement ps = c.prepareStatement("SELECT payload FROM store WHERE store_id = ?")) {
            ps.setString(1, storeId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(JsonColumns.read(rs.getString(1), Store.class)) : Optional.empty();
            }
        } catch (SQLException | RuntimeException e) {
            return Optional.empty(); // without the directory's entry the pharmacy is shown without its local time
        }
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
