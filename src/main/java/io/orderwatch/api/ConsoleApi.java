package io.orderwatch.api;

import io.orderwatch.model.DeliveryType;
import io.orderwatch.model.OrderStatus;
import io.orderwatch.notify.Labels;
import io.orderwatch.notify.email.ShiftSchedule;
import io.orderwatch.store.AlertLoad;
import io.orderwatch.store.Database;

import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the operator console asks beyond the contract's endpoints (orderwatch-api.md allows more):
 * {@code GET /api/v1/console} (where the admin UI is, the team's zone) and {@code GET /api/v1/stats/load}
 * (when alerts come, against who is on shift). Behind the API token like the rest.
 */
public final class ConsoleApi {

    static final int DEFAULT_WEEKS = 4;
    static final int MAX_WEEKS = 12;

    /** One shift window as the console draws it: weekday 0 = Monday, minutes of the day. */
    public record Shift(String name, int weekday, String start, String end) {}

    private final ApiAuth auth;
    private final Database db;
    private final AlertLoad load = new AlertLoad();
    private final String adminUiUrl;
    private final ZoneId zone;
    private final Map<String, ShiftSchedule> shifts;
    private final Clock clock;

    /** @param shifts the team's shifts by name (seed 000), for the load's overlay; empty when none are set */
    public ConsoleApi(ApiAuth auth, Database db, String adminUiUrl, ZoneId zone, Map<String, ShiftSchedule> shifts, Clock clock) {
        this.auth = auth;
        this.db = db;
        this.adminUiUrl = adminUiUrl;
        this.zone = zone;
        this.shifts = shifts;
        this.clock = clock;
    }

    /** GET /api/v1/console: the links' base and the zone the console shows times in. */
    public HttpReply settings(String authorization) {
        if (!auth.allows(authorization)) {
            return HttpReply.unauthorized();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("adminUiUrl", adminUiUrl);
        body.put("zone", zone.getId());
        // the words the sinks use, so the console says the same as Slack and the e-mails
        Map<String, Object> kinds = new LinkedHashMap<>();
        for (String k : KINDS) {
            kinds.put(k, Map.of("one", Labels.kind(k, false), "many", Labels.kind(k, true)));
        }
        body.put("kinds", kinds);
        Map<String, String> statuses = new LinkedHashMap<>();
        for (OrderStatus st : OrderStatus.values()) {
            statuses.put(st.name(), Labels.status(st.name()));
        }
        body.put("statuses", statuses);
        Map<String, String> deliveryTypes = new LinkedHashMap<>();
        for (DeliveryType t : DeliveryType.values()) {
            deliveryTypes.put(t.name(), Labels.deliveryType(t.name()));
        }
        body.put("deliveryTypes", deliveryTypes);
        Map<String, String> reasons = new LinkedHashMap<>();
        for (String r : List.of("STATUS_TIMEOUT", "PLANNED_DELIVERY_PASSED")) {
            reasons.put(r, Labels.stuckReason(r));
        }
        body.put("stuckReasons", reasons);
        return HttpReply.json(200, body);
    }

    /** The kinds orderwatch raises itself, in the order the console lists them; a kind added later shows by its name. */
    static final List<String> KINDS = List.of("EXPORT_FAILED", "ITEM_LINK_ERROR", "DELETED_STORE_ORDER", "STUCK_ORDER",
            "COMPOSITION_CHANGED", "CITY_REQUEST", "SOURCE_DOWN", "DELIVERY_FAILED", "TICKET_INCOMPLETE");

    /**
     * GET /api/v1/stats/load?weeks=4: alerts first noticed in the last whole weeks up to now, by weekday and
     * hour in the team's zone and by day and kind, with the shifts and how many are on shift each hour.
     */
    public HttpReply load(Map<String, Object> params) {
        if (!auth.allows(QueryParams.str(params, "Authorization"))) {
            return HttpReply.unauthorized();
        }
        int weeks = DEFAULT_WEEKS;
        String w = QueryParams.str(params, "weeks");
        if (w != null) {
            try {
                weeks = Integer.parseInt(w.trim());
            } catch (NumberFormatException e) {
                weeks = -1;
            }
            if (weeks < 1 || weeks > MAX_WEEKS) {
                return HttpReply.error(400, "weeks: a whole number from 1 to " + MAX_WEEKS);
            }
        }
        OffsetDateTime to = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.HOURS).plusHours(1);
        // whole local days: from midnight in the team's zone, weeks × 7 days back including today
        OffsetDateTime from = LocalDate.ofInstant(to.minusNanos(1).toInstant(), zone).minusDays(weeks * 7L - 1).atStartOfDay(zone)
                .toOffsetDateTime();
        AlertLoad.Load l = db.read(c -> load.load(c, from, to, zone));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("zone", zone.getId());
        body.put("weeks", weeks);
        body.put("from", from.atZoneSameInstant(zone).toOffsetDateTime().toString());
        body.put("to", to.atZoneSameInstant(zone).toOffsetDateTime().toString());
        body.put("total", l.total());
        body.put("byKind", l.byKind());
        body.put("byWeekdayHour", l.byWeekdayHour());
        List<Map<String, Object>> days = new ArrayList<>();
        l.byDay().forEach((d, kinds) -> {
            Map<String, Object> day = new LinkedHashMap<>();
            day.put("date", d.toString());
            day.put("weekday", d.getDayOfWeek().getValue() - 1);
            day.put("counts", kinds);
            days.add(day);
        });
        body.put("byDay", days);
        List<Shift> windows = new ArrayList<>();
        int[][] staffed = new int[7][24];
        shifts.forEach((name, schedule) -> {
            for (ShiftSchedule.Window win : schedule.windows()) {
                windows.add(new Shift(name, win.day().getValue() - 1, hhmm(win.start()), win.end().equals(LocalTime.MAX) ? "24:00" : hhmm(win.end())));
                int day = win.day().getValue() - 1;
                int start = win.start().toSecondOfDay() / 60;
                int end = win.end().equals(LocalTime.MAX) ? 24 * 60 : win.end().toSecondOfDay() / 60;
                for (int h = 0; h < 24; h++) {
                    // on shift for any part of the hour
                    if (start < (h + 1) * 60 && end > h * 60) {
                        staffed[day][h]++;
                    }
                }
            }
        });
        body.put("shifts", windows);
        body.put("onShift", staffed);
        return HttpReply.json(200, body);
    }

    private static String hhmm(LocalTime t) {
        return String.format("%02d:%02d", t.getHour(), t.getMinute());
    }
}
