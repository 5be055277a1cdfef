package io.orderwatch.notify.slack;

import io.orderwatch.alert.Alert;
import io.orderwatch.alert.AlertState;
import io.orderwatch.notify.delivery.DeliverySender;
import io.orderwatch.notify.delivery.Outcome;
import io.orderwatch.store.Database;
import io.orderwatch.store.Delivery;
import io.orderwatch.store.DeliveryLedger;
import io.orderwatch.store.JsonColumns;
import io.orderwatch.store.SinkAlerts;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The Slack sink. Its intake (notify-slack, from its own queue) turns each alert change into ledger
 * entries in the same transaction as it records the change: a new alert joins the open message of its
 * kind, chain and channel (or opens one: a post), which then needs an update; a resolved one needs a
 * thread reply and an update. Posts, updates and replies are built only when the delivery core claims
 * them, from the group as it is then, so a storm coalesces into a few posts and updates.
 */
public final class SlackSink implements DeliverySender {

    public static final String SINK = "slack";
    static final String POST = "post";
    static final String UPDATE = "update";
    static final String REPLY = "reply";
    /** A note in an alert's thread: the ticket the helpdesk opened for it. */
    static final String TICKET_NOTE = "ticket-note";
    private static final String UPDATE_LANE = " chat.update";

    private final Database db;
    private final SinkAlerts view;
    private final DeliveryLedger ledger;
    private final SlackGroups groups = new SlackGroups();
    private final SlackSettings settings;
    private final SlackMessages messages;
    private final SlackApi api;
    private final Clock clock;
    private final io.orderwatch.notify.SinkIntake intake;

    public SlackSink(Database db, SinkAlerts view, DeliveryLedger ledger, SlackSettings settings, SlackMessages messages, SlackApi api,
                     Clock clock) {
        this.db = db;
        this.view = view;
        this.ledger = ledger;
        this.settings = settings;
        this.messages = messages;
        this.api = api;
        this.clock = clock;
        this.intake = new io.orderwatch.notify.SinkIntake(db, view, clock);
    }

    // ---- intake ------------------------------------------------------------------------------

    /** Called by notify-slack for each message of its queue; true when the change was new to Slack. */
    public boolean accept(String eventJson) throws IOException {
        return intake.accept(eventJson, this::change);
    }

    /** Several messages of its queue in one transaction (see {@link io.orderwatch.notify.SinkIntake#acceptAll}); how many were new. */
    public int acceptAll(List<String> eventJsons) throws IOException {
        return intake.acceptAll(eventJsons, this::change);
    }

    private void change(Connection c, Alert a, long version, OffsetDateTime now) throws SQLException {
        Optional<String> channel = settings.routing().channelFor(a);
        if (channel.isEmpty()) {
            return;
        }
        String ref = a.fingerprint() + "#" + version;
        if (a.state() == AlertState.FIRING) {
            if (!a.muted()) {
                firing(c, channel.get(), a, ref, now);
            }
        } else {
            resolved(c, a, ref, now);
        }
    }

    private void firing(Connection c, String channel, Alert a, String ref, OffsetDateTime now) throws SQLException {
        Optional<SlackGroups.Membership> shown = groups.latest(c, a.fingerprint());
        if (shown.isPresent() && AlertState.FIRING.name().equals(shown.get().state())) {
            groups.update(c, shown.get().groupKey(), a); // already in a message (e.g. it was unmuted): newer facts only
            return;
        }
        ledger.lockIntake(c, SINK, channel, now); // one intake at a time per channel: one open group, not two
        Delivery.AlertRef alertRef = new Delivery.AlertRef(a.fingerprint(), a.orderId());
        Optional<SlackGroups.Group> open = groups.open(c, channel, a.kind(), a.chainId(), now.minus(settings.groupWindow()));
        if (open.isPresent() && !gaveUp(c, open.get())) {
            SlackGroups.Group g = open.get();
            if (shown.isPresent() && shown.get().groupKey().equals(g.key())) {
                groups.update(c, g.key(), a); // resolved and firing again within the window: its line comes back
            } else {
                groups.add(c, g, a);
            }
            ledger.addAlerts(c, g.postId(), List.of(alertRef));
            needsUpdate(c, g, alertRef, ref, now);
            noteTicketsOpened(c, alertRef, now);
            return;
        }
        String key = channel + "|" + a.kind() + "|" + (a.chainId() == null ? "-" : a.chainId()) + "|" + ref;
        long post = ledger.enqueue(c, new Delivery.New(SINK, channel, channel, POST, "post:" + key, key, null, now, List.of(alertRef)), now);
        SlackGroups.Group g = new SlackGroups.Group(key, channel, a.kind(), a.chainId(), now, post, 0);
        groups.create(c, g);
        groups.add(c, g, a);
        noteTicketsOpened(c, alertRef, now);
    }

    private void resolved(Connection c, Alert a, String ref, OffsetDateTime now) throws SQLException {
        Optional<SlackGroups.Membership> shown = groups.latest(c, a.fingerprint());
        if (shown.isEmpty() || !AlertState.FIRING.name().equals(shown.get().state())) {
            return; // never posted (muted, or not routed to Slack then): nothing to resolve in a channel
        }
        SlackGroups.Membership m = shown.get();
        ledger.lockIntake(c, SINK, m.channel(), now);
        groups.update(c, m.groupKey(), a);
        SlackGroups.Group g = groups.get(c, m.groupKey()).orElseThrow();
        Delivery.AlertRef alertRef = new Delivery.AlertRef(a.fingerprint(), a.orderId());
        String post = ledger.lockState(c, g.postId()).orElse(Delivery.PENDING);
        if (Delivery.PENDING.equals(post) || gaveUp(post)) {
            return; // the post is not out yet (or failed for good): when it goes, it shows the alert as resolved
        }
        Optional<Long> reply = ledger.pending(c, SINK, g.key(), REPLY);
        if (reply.isPresent()) {
            ledger.addAlerts(c, reply.get(), List.of(alertRef));
        } else {
            ledger.enqueue(c, new Delivery.New(SINK, g.channel(), g.channel(), REPLY, "reply:" + ref, g.key(), g.postId(), now,
                    List.of(alertRef)), now);
        }
        needsUpdate(c, g, alertRef, ref, now);
    }

    /** Whether the group's post failed for good (it is not joined any more; a replay sends it as it is then). */
    private boolean gaveUp(Connection c, SlackGroups.Group g) throws SQLException {
        return gaveUp(ledger.lockState(c, g.postId()).orElse(Delivery.PENDING));
    }

    private static boolean gaveUp(String postState) {
        return Delivery.FAILED.equals(postState) || Delivery.DISCARDED.equals(postState);
    }

    /** The group's message must show a change: its pending post or update will; otherwise a new update. */
    private void needsUpdate(Connection c, SlackGroups.Group g, Delivery.AlertRef alertRef, String ref, OffsetDateTime now) throws SQLException {
        String post = ledger.lockState(c, g.postId()).orElse(Delivery.PENDING);
        if (Delivery.PENDING.equals(post)) {
            return;
        }
        Optional<Long> update = ledger.pending(c, SINK, g.key(), UPDATE);
        if (update.isPresent()) {
            ledger.addAlerts(c, update.get(), List.of(alertRef));
            return;
        }
        ledger.enqueue(c, new Delivery.New(SINK, g.channel(), g.channel() + UPDATE_LANE, UPDATE, "update:" + ref, g.key(), g.postId(), now,
                List.of(alertRef)), now);
    }

    /**
     * The delivery core says another sink's delivery went through: a ticket opened for an alert that is
     * in a Slack message gets a note in that message's thread, naming the ticket, so the team sees the
     * second line has it. Runs in the transaction that records the ticket.
     */
    public void deliverySent(Connection c, Delivery d, String peerRef) throws SQLException {
        if (!"tickets".equals(d.sink()) || !"ticket".equals(d.operation())) {
            return;
        }
        OffsetDateTime now = now();
        for (Delivery.AlertRef ref : ledger.alertsOf(c, d.id())) {
            noteTicket(c, d.id(), ref, now);
        }
    }

    /**
     * The ticket note for an alert that Slack takes after its ticket was already opened (the tickets sink
     * was faster, e.g. while this sink's queue consumer reconnected to the broker): without it the
     * note would never be written, since {@link #deliverySent} found no Slack message then.
     */
    private void noteTicketsOpened(Connection c, Delivery.AlertRef ref, OffsetDateTime now) throws SQLException {
        for (Delivery d : ledger.forAlert(c, ref.fingerprint())) {
            if ("tickets".equals(d.sink()) && "ticket".equals(d.operation()) && Delivery.SENT.equals(d.state())) {
                noteTicket(c, d.id(), ref, now);
            }
        }
    }

    /** A note in the thread of the alert's Slack message naming the ticket; once per ticket and alert (its dedup key). */
    private void noteTicket(Connection c, long ticketDelivery, Delivery.AlertRef ref, OffsetDateTime now) throws SQLException {
        Optional<SlackGroups.Membership> shown = groups.latest(c, ref.fingerprint());
        if (shown.isEmpty()) {
            return;
        }
        SlackGroups.Group g = groups.get(c, shown.get().groupKey()).orElseThrow();
        if (gaveUp(ledger.lockState(c, g.postId()).orElse(Delivery.PENDING))) {
            return;
        }
        ledger.enqueue(c, new Delivery.New(SINK, g.channel(), g.channel(), TICKET_NOTE, TICKET_NOTE + ":" + ticketDelivery + ":" + ref.fingerprint(),
                g.key(), g.postId(), now, List.of(ref)), now);
    }

    // ---- delivery ----------------------------------------------------------------------------

    @Override
    public String prepare(Connection c, DeliveryLedger.Claim claim) throws SQLException {
        Delivery d = claim.delivery();
        if (claim.inDoubt() && d.payload() != null && !UPDATE.equals(d.operation())) {
            return d.payload(); // the same call again, so the peer can be asked whether it has it
        }
        SlackGroups.Group g = groups.get(c, d.subject()).orElseThrow(() -> new SQLException("no Slack message " + d.subject()));
        List<SlackMessages.Member> members = groups.members(c, g.key());
        String marker = SINK + "-" + d.id();
        switch (d.operation()) {
            case POST -> {
                SlackMessages.Rendered r = messages.group(g.kind(), members, clock.instant());
                return new SlackCall(SlackCall.POST, g.channel(), null, null, r.text(), r.blocks(), marker).toJson();
            }
            case UPDATE -> {
                PeerRef p = PeerRef.parse(claim.parent().peerRef());
                SlackMessages.Rendered r = messages.group(g.kind(), members, clock.instant());
                return new SlackCall(SlackCall.UPDATE, p.channelId(), p.ts(), null, r.text(), r.blocks(), marker).toJson();
            }
            case REPLY -> {
                PeerRef p = PeerRef.parse(claim.parent().peerRef());
                List<String> fps = ledger.alertsOf(c, d.id()).stream().map(Delivery.AlertRef::fingerprint).toList();
                Map<String, Alert> byFp = members.stream().collect(Collectors.toMap(m -> m.alert().fingerprint(), SlackMessages.Member::alert,
                        (x, y) -> y));
                List<Alert> resolved = new ArrayList<>();
                for (String fp : fps) {
                    if (byFp.containsKey(fp)) {
                        resolved.add(byFp.get(fp));
                    }
                }
                SlackMessages.Rendered r = messages.resolved(resolved);
                return new SlackCall(SlackCall.POST, p.channelId(), null, p.ts(), r.text(), r.blocks(), marker).toJson();
            }
            case TICKET_NOTE -> {
                PeerRef p = PeerRef.parse(claim.parent().peerRef());
                long ticketDelivery = Long.parseLong(d.dedupKey().split(":")[1]);
                String ticket = ledger.get(c, ticketDelivery).map(Delivery::peerRef).orElse("?");
                String alert = ledger.alertsOf(c, d.id()).stream().map(Delivery.AlertRef::fingerprint).findFirst().orElse("");
                Alert a = members.stream().map(SlackMessages.Member::alert).filter(m -> m.fingerprint().equals(alert)).findFirst().orElse(null);
                SlackMessages.Rendered r = messages.ticketOpened(a, ticket.startsWith("outbox:") ? ticket.substring("outbox:".length()) : ticket);
                return new SlackCall(SlackCall.POST, p.channelId(), null, p.ts(), r.text(), r.blocks(), marker).toJson();
            }
            default -> throw new SQLException("unknown Slack operation " + d.operation());
        }
    }

    @Override
    public Outcome send(DeliveryLedger.Claim claim, String request) {
        SlackCall call;
        try {
            call = SlackCall.fromJson(request);
        } catch (RuntimeException e) {
            return Outcome.Failed.permanentFailure("unreadable request: " + e.getMessage());
        }
        if (claim.inDoubt() && SlackCall.POST.equals(call.method())) {
            // a thread reply and a channel configured by id name the channel as the lookup needs it; a channel
            // configured by name is known by the id of an earlier answer, or else by Slack's list of channels
            String channelId = call.threadTs() != null || isChannelId(call.channel()) ? call.channel() : knownChannelId(claim.delivery().lane());
            if (channelId == null) {
                channelId = api.channelIdOf(call.channel()).orElse(null);
            }
            Optional<String> found = api.find(channelId, call.threadTs(), call.marker(),
                    claim.delivery().createdAt().toInstant().minus(Duration.ofMinutes(1)));
            if (found.isPresent()) {
                return new Outcome.Sent(found.get());
            }
        }
        return api.call(call);
    }

    /** A Slack conversation id (C… public, G… private, D… direct), not a #name. */
    static boolean isChannelId(String channel) {
        return channel != null && channel.matches("[CGD][A-Z0-9]{6,}");
    }

    /** The channel id a channel's earlier posts were answered with (a lookup needs the id, not the name). */
    private String knownChannelId(String lane) {
        try {
            return db.read(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT peer_ref FROM delivery WHERE sink = ? AND lane = ? AND state = 'SENT' "
                        + "AND operation = 'post' ORDER BY id DESC FETCH FIRST 1 ROWS ONLY")) {
                    ps.setString(1, SINK);
                    ps.setString(2, lane);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? PeerRef.parse(rs.getString(1)).channelId() : null;
                    }
                }
            });
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public Duration pace(String lane) {
        return lane.endsWith(UPDATE_LANE) ? settings.updatePace() : settings.postPace();
    }

    public String describe() {
        return api.describe();
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

    /** A message's reference as the ledger keeps it: {@code [outbox:]<channel id>:<ts>}. */
    record PeerRef(String channelId, String ts) {
        static PeerRef parse(String ref) {
            String r = ref.startsWith("outbox:") ? ref.substring("outbox:".length()) : ref;
            int colon = r.lastIndexOf(':');
            return new PeerRef(r.substring(0, colon), r.substring(colon + 1));
        }
    }
}
