package io.orderwatch.alert;

import io.orderwatch.observe.Metrics;
import io.orderwatch.store.AlertStore;
import io.orderwatch.store.Database;
import io.orderwatch.store.TestDatabases;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Findings raised by routes: a time to live resolves them, silences mute them, bad ones name the field. */
class RaisedFindingsTest {

    private static final Instant NOW = Instant.parse("2026-11-22T06:20:00Z");

    private final Database db = TestDatabases.h2();
    private final AlertBookTest.MutableClock clock = new AlertBookTest.MutableClock(NOW);
    private final Metrics metrics = Metrics.inMemory();

    private RaisedFindings findings(MuteCheck mutes) {
        return new RaisedFindings(db, new AlertBook(db, new AlertStore(db.dialect()), mutes, clock), metrics, clock);
    }

    private static String finding(String subject, String resolve) {
        return "{\"kind\":\"PHARMACY_SILENT\",\"subject\":\"" + subject + "\",\"storeId\":\"st-1\",\"chainId\":\"ch-nevis\","
                + "\"startedAt\":\"2026-11-22T09:00:00+03:00\",\"details\":{\"minutes\":40},\"resolve\":\"" + resolve + "\"}";
    }

    @Test
    void aTimeToLiveResolvesOnlyOnceTheFindingWasNotRaisedAgainForThatLong() {
        RaisedFindings f = findings(MuteCheck.NONE);
        AlertBook book = new AlertBook(db, new AlertStore(db.dialect()), MuteCheck.NONE, clock);
        assertEquals(true, f.raise(finding("st-1", "30m")).get("ok"));
        clock.advance(Duration.ofMinutes(20));
        f.raise(finding("st-1", "30m"));
        clock.advance(Duration.ofMinutes(20));
        assertEquals(0, f.expireDue(), "raised again 20 minutes ago: still within its 30 minutes");
        assertEquals(Set.of("PHARMACY_SILENT:st-1"), book.firing(Set.of("PHARMACY_SILENT")));
        clock.advance(Duration.ofMinutes(11));
        assertEquals(1, f.expireDue());
        assertEquals(Set.of(), book.firing(Set.of("PHARMACY_SILENT")));
        assertEquals(0, f.expireDue(), "nothing left to expire");
    }

    @Test
    void aResolveCallResolvesAndASilenceMutesLikeABuiltInKind() {
        RaisedFindings f = findings((finding, at) -> "ch-nevis".equals(finding.chainId()));
        f.raise(finding("st-2", "call"));
        assertEquals(true, db.read(c -> {
            try (var ps = c.prepareStatement("SELECT muted FROM alert WHERE fingerprint = 'PHARMACY_SILENT:st-2'"); var rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }), "muted by a silence on its chain");
        clock.advance(Duration.ofHours(5));
        assertEquals(0, f.expireDue(), "resolve: call has no time to live");
        Map<String, Object> r = f.raise(Map.of("kind", "PHARMACY_SILENT", "subject", "st-2", "state", "RESOLVED"));
        assertEquals("RESOLVED", r.get("state"));
        assertEquals(Set.of(), new AlertBook(db, new AlertStore(db.dialect()), MuteCheck.NONE, clock).firing(Set.of("PHARMACY_SILENT")));
    }

    @Test
    void eachBadFieldIsNamed() {
        RaisedFindings f = findings(MuteCheck.NONE);
        Map<String, String> cases = Map.of(
                "{\"subject\":\"s\",\"startedAt\":\"2026-11-22T09:00:00+03:00\",\"resolve\":\"call\"}", "kind: missing",
                "{\"kind\":\"price spike\",\"subject\":\"s\",\"startedAt\":\"2026-11-22T09:00:00+03:00\",\"resolve\":\"call\"}", "kind: upper-case",
                "{\"kind\":\"X_Y\",\"startedAt\":\"2026-11-22T09:00:00+03:00\",\"resolve\":\"call\"}", "subject: missing",
                "{\"kind\":\"X_Y\",\"subject\":\"s\",\"resolve\":\"call\"}", "startedAt: missing",
                "{\"kind\":\"X_Y\",\"subject\":\"s\",\"startedAt\":\"2026-11-22T09:00:00+03:00\"}", "resolve: missing",
                "{\"kind\":\"X_Y\",\"subject\":\"s\",\"startedAt\":\"2026-11-22T09:00:00+03:00\",\"resolve\":\"soon\"}", "resolve: \"call\" or",
                "{\"kind\":\"X_Y\",\"subject\":\"s\",\"startedAt\":\"2026-11-22T09:00:00+03:00\",\"resolve\":\"call\",\"orderId\":7}", "orderId: must be a string",
                "{\"kind\":\"X_Y\",\"subject\":\"s\",\"startedAt\":\"2026-11-22T09:00:00+03:00\",\"resolve\":\"call\",\"details\":[1]}", "details: must be a JSON object",
                "{\"kind\":\"X_Y\",\"subject\":\"s\",\"startedAt\":\"2026-11-22T09:00:00+03:00\",\"resolve\":\"call\",\"sujbect\":\"s\"}", "sujbect: unknown field",
                "[1]", "body: must be a JSON object");
        cases.forEach((body, expected) -> {
            Map<String, Object> r = f.raise(body);
            assertEquals(false, r.get("ok"), body);
            assertTrue(String.valueOf(r.get("error")).startsWith(expected), body + " -> " + r.get("error"));
        });
        assertEquals(0, io.orderwatch.app.TestApp.count(db, "SELECT COUNT(*) FROM alert"));
        assertEquals(cases.size(), metrics.registry().get("orderwatch.findings.rejected").counters().stream()
                .mapToDouble(c -> c.count()).sum());
    }
}
