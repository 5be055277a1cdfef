package io.orderwatch.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.TreeMap;

/**
 * When alerts come: the alerts first noticed in a period, counted by the database per UTC hour and kind
 * (one row per hour and kind, however many alerts), then laid out in the team's zone as weekday × hour
 * of day and as days by kind. The hours are counted in SQL so that the console never pages through
 * thousands of alerts; the zone is applied here, hour by hour, so a change of offset (DST) is right.
 *
 * <p>A zone whose offset is not a whole number of hours (India, +05:30) counts an alert in the team's
 * hour that its UTC hour begins in.
 */
public final class AlertLoad {

    /**
     * What came in a period, in the team's zone.
     *
     * @param byWeekdayHour [weekday 0 = Monday … 6 = Sunday][hour 0 … 23]: alerts first noticed then
     * @param byDay         per local date (every day of the period, oldest first), alerts first noticed by kind
     * @param byKind        totals per kind
     */
    public record Load(long[][] byWeekdayHour, Map<LocalDate, Map<String, Long>> byDay, Map<String, Long> byKind, long total) {}

    private static final String SQL = "SELECT CAST(FLOOR(EXTRACT(EPOCH FROM first_seen_at) / 3600) AS BIGINT) AS utc_hour, kind, COUNT(*) AS n"
            + " FROM alert WHERE first_seen_at >= ? AND first_seen_at < ?"
            + " GROUP BY CAST(FLOOR(EXTRACT(EPOCH FROM first_seen_at) / 3600) AS BIGINT), kind";

    /** The alerts first noticed in [from, to), in {@code zone}. */
    public Load load(Connection c, OffsetDateTime from, OffsetDateTime to, ZoneId zone) throws SQLException {
        long[][] heat = new long[7][24];
        Map<LocalDate, Map<String, Long>> days = new TreeMap<>();
        for (LocalDate d = from.atZoneSameInstant(zone).toLocalDate(); !d.isAfter(to.minusNanos(1).atZoneSameInstant(zone).toLocalDate()); d = d.plusDays(1)) {
            days.put(d, new TreeMap<>());
        }
        Map<String, Long> kinds = new TreeMap<>();
        long total = 0;
        try (PreparedStatement ps = c.prepareStatement(SQL)) {
            JsonColumns.setTime(ps, 1, from);
            JsonColumns.setTime(ps, 2, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ZonedDateTime at = Instant.ofEpochSecond(rs.getLong("utc_hour") * 3600).atZone(zone);
                    String kind = rs.getString("kind");
                    long n = rs.getLong("n");
                    heat[at.getDayOfWeek().getValue() - 1][at.getHour()] += n;
                    days.computeIfAbsent(at.toLocalDate(), d -> new TreeMap<>()).merge(kind, n, Long::sum);
                    kinds.merge(kind, n, Long::sum);
                    total += n;
                }
            }
        }
        return new Load(heat, days, kinds, total);
    }
}
