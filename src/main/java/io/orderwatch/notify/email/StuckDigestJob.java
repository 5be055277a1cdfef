package io.orderwatch.notify.email;

import io.orderwatch.alert.Alert;
import io.orderwatch.alert.AlertKind;
import io.orderwatch.observe.Metrics;
import io.orderwatch.store.Database;
import io.orderwatch.store.NotificationLog;
import io.orderwatch.store.SinkAlerts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The e-mail sink's scheduled digest: at each scheduled time, every stuck order still FIRING and not
 * silenced, from the sink's own view of its queue. One digest per scheduled time, also across restarts
 * (the notification log is checked first and written with the "already included" marks).
 */
public final class StuckDigestJob {

    private static final Logger LOG = LoggerFactory.getLogger(StuckDigestJob.class);
    static final String SINK = "email";
    static final String KEY_PREFIX = "stuck-digest:";
    /** The target label of its deliveries: what is sent, not to whom (addresses stay out of metrics). */
    static final String TARGET = "stuck-digest";
    private static final DateTimeFormatter SLOT = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'");

    private final Database db;
    private final SinkAlerts view;
    private final NotificationLog log;
    private final StuckDigest renderer;
    private final MailTransport transport;
    private final String from;
    private final List<String> to;
    private final Metrics metrics;
    private final Clock clock;

    public StuckDigestJob(Database db, SinkAlerts view, NotificationLog log, StuckDigest renderer, MailTransport transport,
                          String from, List<String> to, Metrics metrics, Clock clock) {
        this.db = db;
        this.view = view;
        this.log = log;
        this.renderer = renderer;
        this.transport = transport;
        this.from = from;
        this.to = List.copyOf(to);
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Called by the send-stuck-digest route with Quartz's scheduled fire time. */
    public String send(Date scheduledFireTime) throws MailDeliveryException {
        Instant slot = (scheduledFireTime == null ? clock.instant() : scheduledFireTime.toInstant()).truncatedTo(ChronoUnit.MINUTES);
        String slotId = SLOT.format(slot.atOffset(ZoneOffset.UTC));
        String key = KEY_PREFIX + slotId;
        if (log.contains(SINK, key)) {
            return "already sent";
        }
        Optional<OffsetDateTime> previous = log.lastSent(SINK, KEY_PREFIX);
        List<SinkAlerts.Entry> firing = view.list(AlertKind.STUCK_ORDER, "FIRING").stream().filter(e -> !e.alert().muted()).toList();
        Set<String> newOnes = firing.stream().filter(e -> e.notifiedAt() == null).map(e -> e.alert().fingerprint()).collect(Collectors.toSet());
        // counted in the database since the last digest (the first digest: since the epoch), never loaded
        int resolved = view.countReceivedAfter(AlertKind.STUCK_ORDER, "RESOLVED",
                previous.orElse(Instant.EPOCH.atOffset(ZoneOffset.UTC)));
        List<Alert> alerts = firing.stream().map(SinkAlerts.Entry::alert).toList();
        Optional<OutgoingMail> mail = renderer.render(alerts, newOnes, resolved, clock.instant(),
                "<stuck-digest-" + slotId + "@orderwatch>", from, to);
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        if (mail.isEmpty()) {
            db.inTransaction(c -> log.record(c, SINK, key, now, "empty", null));
            metrics.delivery(SINK, TARGET, "skipped");
            return "nothing stuck";
        }
        String outcome;
        try {
            outcome = transport.send(mail.get());
        } catch (MailDeliveryException e) {
            metrics.delivery(SINK, TARGET, "failed");
            throw e;
        }
        db.inTransaction(c -> {
            log.record(c, SINK, key, now, outcome, alerts.size() + " orders");
            view.markNotified(c, alerts.stream().map(Alert::fingerprint).toList(), now);
            return null;
        });
        metrics.delivery(SINK, TARGET, outcome);
        LOG.info("Stuck-order digest {}: {} orders ({} new) via {}", slotId, alerts.size(), newOnes.size(), transport.describe());
        return outcome;
    }
}
