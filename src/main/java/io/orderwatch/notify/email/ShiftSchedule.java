package io.orderwatch.notify.email;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The team's shifts (seed 000; {@code orderwatch.digest.shift.<name>} in config), in the team's zone.
 * The stuck-order digest goes out on the hour while any shift is on; the first digest after a time
 * with nobody on shift is a catch-up covering everything since the last shift ended.
 *
 * <p>A shift is written as day ranges with a time range each, e.g.
 * {@code Пн-Вт 09:00-16:00, Ср-Пт 09:00-15:00, Сб 11:00-19:00} (English {@code Mon-Tue} works too).
 */
public final class ShiftSchedule {

    /** One weekly window: on this day from start (inclusive) to end (exclusive). */
    public record Window(DayOfWeek day, LocalTime start, LocalTime end) {}

    private static final Pattern PART = Pattern.compile("\\s*([\\p{L}]{2,3})(?:\\s*[-–]\\s*([\\p{L}]{2,3}))?\\s*:?\\s*"
            + "(\\d{1,2}:\\d{2})\\s*[-–]\\s*(\\d{1,2}:\\d{2})\\s*");
    private static final Map<String, DayOfWeek> DAYS = Map.ofEntries(
            Map.entry("пн", DayOfWeek.MONDAY), Map.entry("вт", DayOfWeek.TUESDAY), Map.entry("ср", DayOfWeek.WEDNESDAY),
            Map.entry("чт", DayOfWeek.THURSDAY), Map.entry("пт", DayOfWeek.FRIDAY), Map.entry("сб", DayOfWeek.SATURDAY),
            Map.entry("вс", DayOfWeek.SUNDAY), Map.entry("mon", DayOfWeek.MONDAY), Map.entry("tue", DayOfWeek.TUESDAY),
            Map.entry("wed", DayOfWeek.WEDNESDAY), Map.entry("thu", DayOfWeek.THURSDAY), Map.entry("fri", DayOfWeek.FRIDAY),
            Map.entry("sat", DayOfWeek.SATURDAY), Map.entry("sun", DayOfWeek.SUNDAY));
    /** How far back the end of the last shift is looked for. */
    private static final Duration LOOK_BACK = Duration.ofDays(8);

    private final List<Window> windows;

    public ShiftSchedule(List<Window> windows) {
        if (windows.isEmpty()) {
            throw new IllegalArgumentException("a shift schedule needs at least one shift");
        }
        this.windows = List.copyOf(windows);
    }

    /**
     * Parses the shifts by name ({@code key} names the setting in a problem).
     *
     * @throws IllegalArgumentException with one line naming the setting
     */
    public static ShiftSchedule parse(Map<String, String> shiftsByKey) {
        List<Window> out = new ArrayList<>();
        shiftsByKey.forEach((key, value) -> {
            for (String part : value.split("[,;]")) {
                if (part.isBlank()) {
                    continue;
                }
                Matcher m = PART.matcher(part);
                DayOfWeek from = m.matches() ? DAYS.get(m.group(1).toLowerCase(Locale.ROOT)) : null;
                DayOfWeek to = m.matches() && m.group(2) != null ? DAYS.get(m.group(2).toLowerCase(Locale.ROOT)) : from;
                if (from == null || to == null) {
                    throw new IllegalArgumentException(key + " must be like \"Пн-Вт 09:00-16:00, Сб 11:00-19:00\", got \"" + part.strip() + "\"");
                }
                LocalTime start = time(key, m.group(3));
                LocalTime end = m.group(4).equals("24:00") ? LocalTime.MAX : time(key, m.group(4));
                if (!end.isAfter(start)) {
                    throw new IllegalArgumentException(key + ": a shift ends after it starts, got \"" + part.strip() + "\"");
                }
                for (DayOfWeek d = from; ; d = d.plus(1)) {
                    out.add(new Window(d, start, end));
                    if (d == to) {
                        break;
                    }
                }
            }
        });
        return new ShiftSchedule(out);
    }

    private static LocalTime time(String key, String hhmm) {
        try {
            return LocalTime.parse(hhmm.length() == 4 ? "0" + hhmm : hhmm);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(key + ": \"" + hhmm + "\" is not a time of day (HH:mm)");
        }
    }

    /** Whether someone is on shift at this moment, in the team's zone. */
    public boolean onShift(Instant at, ZoneId zone) {
        ZonedDateTime t = at.atZone(zone);
        LocalTime time = t.toLocalTime();
        for (Window w : windows) {
            if (w.day() == t.getDayOfWeek() && !time.isBefore(w.start()) && time.isBefore(w.end())) {
                return true;
            }
        }
        return false;
    }

    /** Whether an hourly digest is due at this slot: someone is on shift then. */
    public boolean digestDue(Instant slot, ZoneId zone) {
        return onShift(slot, zone);
    }

    /** The first digest of a shift: on shift now, nobody on shift an hour before. */
    public boolean firstOfShift(Instant slot, ZoneId zone) {
        return onShift(slot, zone) && !onShift(slot.minus(Duration.ofHours(1)), zone);
    }

    /** When the last shift before this moment ended (the catch-up covers everything since), or a day back when none did. */
    public Instant lastShiftEnd(Instant slot, ZoneId zone) {
        Instant t = slot.truncatedTo(ChronoUnit.MINUTES);
        // step back to before this shift began
        Instant limit = t.minus(LOOK_BACK);
        while (onShift(t.minus(Duration.ofMinutes(1)), zone) && t.isAfter(limit)) {
            t = t.minus(Duration.ofMinutes(1));
        }
        // then on to the end of the one before
        while (!onShift(t.minus(Duration.ofMinutes(1)), zone) && t.isAfter(limit)) {
            t = t.minus(Duration.ofMinutes(1));
        }
        return t.isAfter(limit) ? t : slot.minus(Duration.ofDays(1));
    }

    public List<Window> windows() {
        return windows;
    }
}
