package io.orderwatch.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A pharmacy's weekly opening hours in its own local time: per weekday {@code "HH:MM-HH:MM"} or closed,
 * or the string {@code "24/7"}. An interval whose end is not after its start runs past midnight
 * ({@code "20:00-02:00"}); {@code "00:00-24:00"} is the whole day.
 */
public final class OpeningHours {

    private static final String ALWAYS = "24/7";
    private static final String[] KEYS = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    /** Longest span worth walking day by day; beyond it an order is late by any measure. */
    private static final int MAX_DAYS = 400;

    private static final long NANOS = 1_000_000_000L;
    /** Epoch seconds within which a time in nanoseconds fits a long (until 2262). */
    private static final long NANO_RANGE_SECONDS = Long.MAX_VALUE / NANOS - 2 * 86_400;

    private final boolean alwaysOpen;
    /**
     * Per weekday, Monday first, minutes from local midnight: [open, close), or null when closed; close
     * may exceed 1440 when the interval runs past midnight.
     */
    private final int[][] days;

    private OpeningHours(boolean alwaysOpen, int[][] days) {
        this.alwaysOpen = alwaysOpen;
        this.days = days;
    }

    public static OpeningHours alwaysOpen() {
        return new OpeningHours(true, new int[7][]);
    }

    /** Builds hours from {@code "mon" -> "08:00-22:00"}; a missing or null day is closed. */
    public static OpeningHours weekly(Map<String, String> perDay) {
        int[][] days = new int[7][];
        for (int i = 0; i < KEYS.length; i++) {
            String value = perDay.get(KEYS[i]);
            if (value != null && !value.isBlank()) {
                days[i] = parseInterval(KEYS[i], value.trim());
            }
        }
        return new OpeningHours(false, days);
    }

    @JsonCreator
    public static OpeningHours fromJson(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            if (ALWAYS.equals(node.asText().trim())) {
                return alwaysOpen();
            }
            throw new IllegalArgumentException("openingHours: expected \"24/7\" or an object, got \"" + node.asText() + "\"");
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("openingHours: expected \"24/7\" or an object, got " + node.getNodeType());
        }
        Map<String, String> perDay = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            if (!v.isNull() && !v.isTextual()) {
                throw new IllegalArgumentException("openingHours." + e.getKey() + ": expected \"HH:MM-HH:MM\" or null");
            }
            perDay.put(e.getKey().toLowerCase(Locale.ROOT), v.isNull() ? null : v.asText());
        });
        return weekly(perDay);
    }

    @JsonValue
    public Object toJson() {
        if (alwaysOpen) {
            return ALWAYS;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < KEYS.length; i++) {
            int[] iv = days[i];
            out.put(KEYS[i], iv == null ? null : format(iv[0]) + "-" + format(iv[1] % 1440 == 0 && iv[1] > 0 ? 1440 : iv[1] % 1440));
        }
        return Collections.unmodifiableMap(out);
    }

    public boolean isAlwaysOpen() {
        return alwaysOpen;
    }

    /** True when the pharmacy is open at this instant in its own zone. */
    public boolean isOpenAt(Instant at, ZoneId zone) {
        return !openTimeBetween(at, at.plusSeconds(60), zone).isZero();
    }

    /**
     * How much of [from, to) the pharmacy is open, counted in its own zone. This is the clock that
     * statuses waiting on the pharmacy run on: a night in Vladivostok does not make an order late.
     */
    public Duration openTimeBetween(Instant from, Instant to, ZoneId zone) {
        if (!to.isAfter(from)) {
            return Duration.ZERO;
        }
        if (alwaysOpen) {
            return Duration.between(from, to);
        }
        ZoneRules rules = zone.getRules();
        Instant before = from.minusSeconds(2 * 86_400);
        ZoneOffsetTransition next = rules.nextTransition(before);
        if ((next == null || next.getInstant().isAfter(to.plusSeconds(2 * 86_400)))
                && Math.abs(from.getEpochSecond()) < NANO_RANGE_SECONDS && Math.abs(to.getEpochSecond()) < NANO_RANGE_SECONDS) {
            return Duration.ofSeconds(openSecondsAtOffset(from, to, rules.getOffset(before).getTotalSeconds()));
        }
        return Duration.ofSeconds(openSecondsAcrossTransitions(from, to, zone));
    }

    /**
     * The common case: the zone keeps one offset over the whole span (Russia has had no clock changes
     * since 2014), so local days are plain arithmetic on epoch seconds. Gives exactly what
     * {@link #openSecondsAcrossTransitions} gives: each interval's share, whole seconds, summed.
     */
    long openSecondsAtOffset(Instant from, Instant to, int offsetSeconds) {
        long fromNanos = from.getEpochSecond() * NANOS + from.getNano();
        long toNanos = to.getEpochSecond() * NANOS + to.getNano();
        long firstDay = Math.floorDiv(from.getEpochSecond() + offsetSeconds, 86_400) - 1; // yesterday's interval may run past midnight
        long lastDay = Math.floorDiv(to.getEpochSecond() + offsetSeconds, 86_400);
        if (firstDay + MAX_DAYS < lastDay) {
            firstDay = lastDay - MAX_DAYS;
        }
        long seconds = 0;
        for (long day = firstDay; day <= lastDay; day++) {
            int[] iv = days[(int) Math.floorMod(day + 3, 7)]; // 1970-01-01 was a Thursday
            if (iv == null) {
                continue;
            }
            long midnight = day * 86_400 - offsetSeconds;
            long start = Math.max((midnight + iv[0] * 60L) * NANOS, fromNanos);
            long end = Math.min((midnight + iv[1] * 60L) * NANOS, toNanos);
            if (end > start) {
                seconds += (end - start) / NANOS;
            }
        }
        return seconds;
    }

    /** Any zone, any span: local days resolved through the zone's rules, day by day. */
    long openSecondsAcrossTransitions(Instant from, Instant to, ZoneId zone) {
        LocalDate first = from.atZone(zone).toLocalDate().minusDays(1); // yesterday's interval may run past midnight
        LocalDate last = to.atZone(zone).toLocalDate();
        if (first.plusDays(MAX_DAYS).isBefore(last)) {
            first = last.minusDays(MAX_DAYS);
        }
        long seconds = 0;
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
            int[] iv = days[day.getDayOfWeek().ordinal()];
            if (iv == null) {
                continue;
            }
            // local wall-clock times: "08:00" is eight on the clock, also on a day the clocks change
            Instant open = ZonedDateTime.of(day.atTime(LocalTime.MIDNIGHT).plusMinutes(iv[0]), zone).toInstant();
            Instant close = ZonedDateTime.of(day.atTime(LocalTime.MIDNIGHT).plusMinutes(iv[1]), zone).toInstant();
            Instant start = open.isAfter(from) ? open : from;
            Instant end = close.isBefore(to) ? close : to;
            if (end.isAfter(start)) {
                seconds += Duration.between(start, end).getSeconds();
            }
        }
        return seconds;
    }

    private static int[] parseInterval(String day, String value) {
        int dash = value.indexOf('-');
        if (dash < 0) {
            throw new IllegalArgumentException("openingHours." + day + ": expected \"HH:MM-HH:MM\", got \"" + value + "\"");
        }
        int open = minutes(day, value.substring(0, dash).trim());
        int close = minutes(day, value.substring(dash + 1).trim());
        if (close <= open) {
            close += 1440; // runs past midnight
        }
        return new int[] {open, close};
    }

    private static int minutes(String day, String hhmm) {
        if ("24:00".equals(hhmm)) {
            return 1440;
        }
        try {
            LocalTime t = LocalTime.parse(hhmm.length() == 4 ? "0" + hhmm : hhmm);
            return t.getHour() * 60 + t.getMinute();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("openingHours." + day + ": bad time \"" + hhmm + "\"");
        }
    }

    private static String format(int minutes) {
        return String.format(Locale.ROOT, "%02d:%02d", minutes / 60, minutes % 60);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OpeningHours h && h.alwaysOpen == alwaysOpen && java.util.Arrays.deepEquals(h.days, days);
    }

    @Override
    public int hashCode() {
        return 31 * Boolean.hashCode(alwaysOpen) + java.util.Arrays.deepHashCode(days);
    }

    @Override
    public String toString() {
        return String.valueOf(toJson());
    }
}
