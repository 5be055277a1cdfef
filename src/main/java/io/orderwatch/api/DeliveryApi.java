package io.orderwatch.api;

import io.orderwatch.broker.DeadLetterIntake;
import io.orderwatch.store.AlertStore;
import io.orderwatch.store.Database;
import io.orderwatch.store.DeadLetters;
import io.orderwatch.store.Delivery;
import io.orderwatch.store.DeliveryLedger;
import io.orderwatch.store.StoredAlert;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * "Were we told, and when?": the delivery ledger ({@code GET /api/v1/deliveries}), one alert with every
 * delivery that covered it ({@code GET /api/v1/alerts/{fingerprint}}), and the dead letters — deliveries
 * that failed for good and broker messages no consumer could read — to replay or discard.
 */
public final class DeliveryApi {

    private static final String DELIVERY_PREFIX = "delivery-";
    private static final String MESSAGE_PREFIX = "message-";

    private final ApiAuth auth;
    private final Database db;
    private final DeliveryLedger ledger;
    private final AlertStore alerts;
    private final DeadLetters deadLetters;
    private final DeadLetterIntake broker;
    private final Clock clock;

    public DeliveryApi(ApiAuth auth, Database db, DeliveryLedger ledger, AlertStore alerts, DeadLetters deadLetters, DeadLetterIntake broker,
                       Clock clock) {
        this.auth = auth;
        this.db = db;
        this.ledger = ledger;
        this.alerts = alerts;
        this.deadLetters = deadLetters;
        this.broker = broker;
        this.clock = clock;
    }

    /** GET /api/v1/deliveries with fingerprint, orderId, sink, state, since, limit, cursor. */
    public HttpReply listDeliveries(Map<String, Object> params) {
        if (!auth.allows(str(params, "Authorization"))) {
            return HttpReply.unauthorized();
        }
        String state = str(params, "state");
        if (state != null) {
            state = state.toUpperCase(Locale.ROOT);
            if (!Delivery.STATES.contains(state)) {
                return HttpReply.error(400, "state must be one of " + String.join(", ", Delivery.STATES));
            }
        }
        int limit;
        OffsetDateTime since;
        QueryParams.Cursor after;
        Long afterId = null;
        try {
            limit = QueryParams.limit(params);
            since = QueryParams.since(params);
            after = QueryParams.cursor(params);
            if (after != null) {
                afterId = Long.parseLong(after.key());
            }
        } catch (QueryParams.Bad | NumberFormatException e) {
            return HttpReply.error(400, e instanceof QueryParams.Bad ? e.getMessage() : "bad cursor");
        }
        DeliveryLedger.Query q = new DeliveryLedger.Query(str(params, "fingerprint"), str(params, "orderId"), str(params, "sink"), state,
                since, after == null ? null : after.at(), afterId, limit);
        List<Delivery> page = db.read(c -> ledger.query(c, q));
        String next = null;
        if (page.size() > limit) {
            page = page.subList(0, limit);
            Delivery last = page.get(page.size() - 1);
            next = new QueryParams.Cursor(last.updatedAt(), String.valueOf(last.id())).encode();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page.stream().map(DeliveryApi::view).toList());
        body.put("nextCursor", next);
        return HttpReply.json(200, body);
    }

    /** GET /api/v1/alerts/{fingerprint}: the alert as the list serves it, and its deliveries. */
    public HttpReply getAlert(String fingerprint, String authorization) {
        if (!auth.allows(authorization)) {
            return HttpReply.unauthorized();
        }
        if (fingerprint == null || fingerprint.isBlank()) {
            return HttpReply.error(400, "fingerprint: missing");
        }
        return db.read(c -> {
            StoredAlert a = alerts.lock(c, List.of(fingerprint)).get(fingerprint);
            if (a == null) {
                return HttpReply.error(404, "no alert with fingerprint " + fingerprint);
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("alert", a.alert());
            body.put("deliveries", ledger.forAlert(c, fingerprint).stream().map(DeliveryApi::view).toList());
            return HttpReply.json(200, body);
        });
    }

    /** GET /api/v1/dead-letters: deliveries that failed for good, then broker messages no consumer could read. */
    public HttpReply listDeadLetters(String authorization) {
        if (!auth.allows(authorization)) {
            return HttpReply.unauthorized();
        }
        return db.read(c -> {
            List<Map<String, Object>> items = new ArrayList<>();
            for (Delivery d : ledger.query(c, new DeliveryLedger.Query(null, null, null, Delivery.FAILED, null, null, null, QueryParams.MAX_LIMIT))) {
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("id", DELIVERY_PREFIX + d.id());
                v.put("source", "delivery");
                v.put("sink", d.sink());
                v.put("target", d.target());
                v.put("error", d.lastError());
                v.put("failedAt", d.updatedAt());
                v.put("delivery", view(d));
                items.add(v);
            }
            for (DeadLetters.Message m : deadLetters.dead(c, QueryParams.MAX_LIMIT)) {
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("id", MESSAGE_PREFIX + m.id());
                v.put("source", "broker");
                v.put("queue", m.originQueue());
                v.put("address", m.originAddress());
                v.put("error", "the consumer of " + m.originQueue() + " could not process it after every redelivery");
                v.put("failedAt", m.receivedAt());
                v.put("payload", m.payload());
                items.add(v);
            }
            return HttpReply.json(200, Map.of("items", items));
        });
    }

    /** POST /api/v1/dead-letters/{id}/replay: the delivery goes again (fresh maximum age); the message goes back to its queue. */
    public HttpReply replay(String id, String authorization) {
        if (!auth.allows(authorization)) {
            return HttpReply.unauthorized();
        }
        OffsetDateTime now = now();
        if (id != null && id.startsWith(DELIVERY_PREFIX)) {
            Long n = number(id.substring(DELIVERY_PREFIX.length()));
            if (n != null && db.inTransaction(c -> ledger.replay(c, n, now))) {
                return HttpReply.json(202, Map.of("id", id, "state", Delivery.PENDING));
            }
        } else if (id != null && id.startsWith(MESSAGE_PREFIX)) {
            Long n = number(id.substring(MESSAGE_PREFIX.length()));
            if (n != null) {
                var m = db.read(c -> deadLetters.lock(c, n)).filter(x -> DeadLetters.DEAD.equals(x.state()));
                if (m.isPresent()) {
                    try {
                        // replayed before it is marked: a crash in between replays it once more, which the sinks'
                        // own views absorb (a change they have seen changes nothing)
                        broker.replay(m.get());
                    } catch (Exception e) {
                        return HttpReply.error(409, "replay failed, still a dead letter: " + io.orderwatch.observe.Problems.oneLine(e));
                    }
                    boolean marked = db.inTransaction(c -> {
                        var again = deadLetters.lock(c, n);
                        if (again.isEmpty() || !DeadLetters.DEAD.equals(again.get().state())) {
                            return false;
                        }
                        deadLetters.mark(c, n, DeadLetters.REPLAYED, now);
                        return true;
                    });
                    if (marked) {
                        return HttpReply.json(202, Map.of("id", id, "state", DeadLetters.REPLAYED));
                    }
                }
            }
        }
        return HttpReply.error(404, "no dead letter with id " + id);
    }

    /** DELETE /api/v1/dead-letters/{id}: given up on, kept in the ledger as DISCARDED. */
    public HttpReply discard(String id, String authorization) {
        if (!auth.allows(authorization)) {
            return HttpReply.unauthorized();
        }
        OffsetDateTime now = now();
        boolean done = false;
        if (id != null && id.startsWith(DELIVERY_PREFIX)) {
            Long n = number(id.substring(DELIVERY_PREFIX.length()));
            done = n != null && db.inTransaction(c -> ledger.discard(c, n, now));
        } else if (id != null && id.startsWith(MESSAGE_PREFIX)) {
            Long n = number(id.substring(MESSAGE_PREFIX.length()));
            done = n != null && db.inTransaction(c -> {
                var m = deadLetters.lock(c, n);
                if (m.isEmpty() || !DeadLetters.DEAD.equals(m.get().state())) {
                    return false;
                }
                deadLetters.mark(c, n, DeadLetters.DISCARDED, now);
                return true;
            });
        }
        return done ? new HttpReply(204, "") : HttpReply.error(404, "no dead letter with id " + id);
    }

    static Map<String, Object> view(Delivery d) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", d.id());
        v.put("sink", d.sink());
        v.put("target", d.target());
        v.put("operation", d.operation());
        v.put("state", d.state());
        v.put("attempts", d.attempts());
        v.put("createdAt", d.createdAt());
        v.put("updatedAt", d.updatedAt());
        v.put("sentAt", d.sentAt());
        v.put("nextAttemptAt", Delivery.PENDING.equals(d.state()) ? d.nextAttemptAt() : null);
        v.put("errorKind", d.errorKind());
        v.put("lastError", d.lastError());
        v.put("peerRef", d.peerRef() == null ? null : d.peerRef().startsWith("outbox:") ? d.peerRef().substring(7) : d.peerRef());
        v.put("outbox", d.peerRef() != null && d.peerRef().startsWith("outbox:"));
        v.put("refersTo", d.parentId());
        v.put("alerts", d.alerts().stream().map(Delivery.AlertRef::fingerprint).toList());
        v.put("orderIds", d.alerts().stream().map(Delivery.AlertRef::orderId).filter(java.util.Objects::nonNull).distinct().toList());
        return v;
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

    private static Long number(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String str(Map<String, Object> params, String key) {
        return QueryParams.str(params, key);
    }
}
