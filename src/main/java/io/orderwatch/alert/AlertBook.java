package io.orderwatch.alert;

import io.orderwatch.store.AlertStore;
import io.orderwatch.store.Database;
import io.orderwatch.store.StoredAlert;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The persisted book of alerts. It turns what detectors find into alert state: a finding for a new
 * fingerprint starts a FIRING alert, a finding for a FIRING one refreshes it, and a FIRING alert inside
 * the evaluated scope that nothing found any more resolves. Each state change is written, in the same
 * transaction, to the outbox from which it is published exactly once per change.
 */
public final class AlertBook {

    private final Database db;
    private final AlertStore store;
    private final MuteCheck muteCheck;
    private final Clock clock;

    public AlertBook(Database db, AlertStore store, MuteCheck muteCheck, Clock clock) {
        this.db = db;
        this.store = store;
        this.muteCheck = muteCheck;
        this.clock = clock;
    }

    /** Applies findings for a scope in one transaction; returns the state changes it recorded. */
    public List<AlertEvent> reconcile(Scope scope, Collection<Finding> findings) {
        return db.inTransaction(c -> reconcile(c, scope, findings));
    }

    /** The same, inside the caller's transaction (so a snapshot and its alerts commit together). */
    public List<AlertEvent> reconcile(Connection c, Scope scope, Collection<Finding> findings) throws SQLException {
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        Map<String, Finding> byFingerprint = new LinkedHashMap<>();
        for (Finding f : findings) {
            if (!scope.kinds().isEmpty() && !scope.kinds().contains(f.kind())) {
                throw new IllegalArgumentException("finding of kind " + f.kind() + " outside the evaluated kinds " + scope.kinds());
            }
            byFingerprint.put(f.fingerprint(), f);
        }
        Map<String, StoredAlert> inScope = store.lockFiring(c, scope.kinds(), scope.orderId());
        Map<String, StoredAlert> known = new LinkedHashMap<>(inScope);
        List<String> unknown = byFingerprint.keySet().stream().filter(fp -> !known.containsKey(fp)).toList();
        known.putAll(store.lock(c, unknown));

        List<AlertEvent> events = new ArrayList<>();
        List<String> refreshed = new ArrayList<>();
        for (Finding f : byFingerprint.values()) {
            StoredAlert existing = known.get(f.fingerprint());
            boolean muted = muteCheck.isMuted(f, now.toInstant());
            if (existing == null || existing.alert().state() == AlertState.RESOLVED) {
                long version = existing == null ? store.firstVersion(c) : existing.version() + 1;
                Alert alert = new Alert(f.fingerprint(), f.kind(), AlertState.FIRING, muted, f.orderId(), f.storeId(),
                        f.chainId(), f.region(), f.startedAt(), now, now, null, f.details());
                events.add(record(c, new StoredAlert(alert, version, now)));
            } else if (changed(existing.alert(), f, muted)) {
                Alert before = existing.alert();
                Alert alert = new Alert(before.fingerprint(), before.kind(), AlertState.FIRING, muted, f.orderId(),
                        f.storeId(), f.chainId(), f.region(), f.startedAt(), before.firstSeenAt(), now, null, f.details());
                if (before.muted() != muted) {
                    // delivery depends on it: sinks must hear that the alert is now (un)muted
                    events.add(record(c, new StoredAlert(alert, existing.version() + 1, now)));
                } else {
                    store.save(c, new StoredAlert(alert, existing.version(), existing.changedAt()));
                }
            } else {
                refreshed.add(f.fingerprint());
            }
        }
        store.touch(c, refreshed, now);

        for (StoredAlert firing : inScope.values()) {
            if (!byFingerprint.containsKey(firing.alert().fingerprint()) && scope.resolves(firing.alert())) {
                Alert a = firing.alert();
                Alert resolved = new Alert(a.fingerprint(), a.kind(), AlertState.RESOLVED, a.muted(), a.orderId(),
                        a.storeId(), a.chainId(), a.region(), a.startedAt(), a.firstSeenAt(), a.lastSeenAt(), now, a.details());
                events.add(record(c, new StoredAlert(resolved, firing.version() + 1, now)));
            }
        }
        return events;
    }

    /**
     * Applies the silences as they stand now to every FIRING alert: one muted by a new silence, or
     * unmuted when its silence ends or is removed, changes state, so the sinks learn whether to deliver.
     */
    public List<AlertEvent> refreshMutes() {
        return refreshMutes(null);
    }

    /**
     * How far back a pass with unchanged silences looks: an alert written by an instance whose silences
     * cache was stale (reloaded every 15 s) or whose clock runs a little behind is re-checked once.
     */
    static final Duration STALE_SILENCES = Duration.ofMinutes(1);

    private String appliedSilences;
    private Instant lastPass;

    /**
     * The scheduled application of silences (apply-silences, on one instance of a cluster). When the
     * silences in force changed since the last pass (one added, removed or ended), every FIRING alert is
     * re-checked; otherwise only those whose state changed since shortly before the last pass, so that
     * a quiet 15-second tick neither reads nor locks the whole book.
     */
    public synchronized List<AlertEvent> applySilences() {
        Instant now = clock.instant();
        String state = muteCheck.stateAt(now);
        List<AlertEvent> events = lastPass == null || !state.equals(appliedSilences)
                ? refreshMutes(null)
                : refreshMutes(lastPass.minus(STALE_SILENCES).atOffset(ZoneOffset.UTC));
        appliedSilences = state;
        lastPass = now;
        return events;
    }

    private List<AlertEvent> refreshMutes(OffsetDateTime changedSince) {
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        return db.inTransaction(c -> {
            List<AlertEvent> events = new ArrayList<>();
            for (StoredAlert s : changedSince == null ? store.allFiring(c) : store.firingChangedSince(c, changedSince)) {
                Alert a = s.alert();
                boolean muted = muteCheck.isMuted(new Finding(a.kind(), "", a.orderId(), a.storeId(), a.chainId(), a.region(),
                        a.startedAt(), Map.of()), now.toInstant());
                if (muted != a.muted()) {
                    Alert changed = new Alert(a.fingerprint(), a.kind(), a.state(), muted, a.orderId(), a.storeId(), a.chainId(),
                            a.region(), a.startedAt(), a.firstSeenAt(), a.lastSeenAt(), a.resolvedAt(), a.details());
                    events.add(record(c, new StoredAlert(changed, s.version() + 1, now)));
                }
            }
            return events;
        });
    }

    /** Resolves one alert, if it is FIRING, in the caller's transaction (an alarm whose cause has cleared). */
    public java.util.Optional<AlertEvent> resolve(Connection c, String fingerprint) throws SQLException {
        StoredAlert s = store.lock(c, List.of(fingerprint)).get(fingerprint);
        if (s == null || s.alert().state() != AlertState.FIRING) {
            return java.util.Optional.empty();
        }
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        Alert a = s.alert();
        Alert resolved = new Alert(a.fingerprint(), a.kind(), AlertState.RESOLVED, a.muted(), a.orderId(), a.storeId(), a.chainId(),
                a.region(), a.startedAt(), a.firstSeenAt(), a.lastSeenAt(), now, a.details());
        return java.util.Optional.of(record(c, new StoredAlert(resolved, s.version() + 1, now)));
    }

    /** The FIRING alerts of these kinds about one order, locked for the caller's transaction. */
    public List<Alert> firing(Connection c, String orderId, Set<String> kinds) throws SQLException {
        return store.lockFiring(c, kinds, orderId).values().stream().map(StoredAlert::alert).toList();
    }

    /** The fingerprints of every FIRING alert of these kinds. */
    public Set<String> firing(Set<String> kinds) {
        return db.read(c -> store.firingFingerprints(c, kinds));
    }

    private AlertEvent record(Connection c, StoredAlert stored) throws SQLException {
        store.save(c, stored);
        AlertEvent event = new AlertEvent(eventId(stored), stored.alert(), stored.changedAt());
        store.appendEvent(c, event);
        return event;
    }

    /** Stable across retries: the same change of the same alert always has the same id. */
    static String eventId(StoredAlert stored) {
        return stored.alert().fingerprint() + "#" + stored.version() + ":" + stored.alert().state();
    }

    private static boolean changed(Alert before, Finding f, boolean muted) {
        return before.muted() != muted
                || !Objects.equals(before.details(), normalise(f.details()))
                || !Objects.equals(before.startedAt() == null ? null : before.startedAt().toInstant(),
                        f.startedAt() == null ? null : f.startedAt().toInstant())
                || !Objects.equals(before.storeId(), f.storeId())
                || !Objects.equals(before.chainId(), f.chainId())
                || !Objects.equals(before.region(), f.region());
    }

    /** Details as they come back from the database (JSON round trip), so equal facts compare equal. */
    private static Map<String, Object> normalise(Map<String, Object> details) {
        return io.orderwatch.store.JsonColumns.readMap(io.orderwatch.store.JsonColumns.write(details));
    }
}
