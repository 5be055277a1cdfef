package io.orderwatch.notify.email;

import io.orderwatch.alert.Alert;
import io.orderwatch.model.Store;
import io.orderwatch.notify.Labels;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The hourly stuck-order e-mail, grouped by pharmacy (an operator calls a pharmacy once about all its
 * orders), pharmacies with the longest wait first; per pharmacy its chain, address and phone once, its
 * local time and whether it is open now; per order what an operator needs to chase it. New orders
 * since the last digest are marked; those resolved since are counted and named; totals by status go
 * into the subject. Long lists are capped; the rest is counted.
 */
public final class StuckDigest {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm");
    private static final DateTimeFormatter HM = DateTimeFormatter.ofPattern("HH:mm");
    private static final int MAX_RESOLVED_NAMED = 50;
    private static final Locale RU = Locale.forLanguageTag("ru");

    /**
     * What a digest is made of.
     *
     * @param firing   the FIRING, unmuted STUCK_ORDER alerts
     * @param newOnes  fingerprints not in any earlier digest
     * @param resolved those resolved since the previous digest (or, for a catch-up, since the last shift ended)
     * @param catchUp  the first digest of a shift: since when it covers; null otherwise
     * @param late     why it goes out late (SMTP was down), or null
     * @param stores   the pharmacies as the directory knows them (zone, opening hours)
     */
    public record Input(List<Alert> firing, Set<String> newOnes, List<Alert> resolved, Instant at, Instant catchUp, String late,
                        Function<String, Optional<Store>> stores) {}

    private final MailTemplates templates;
    private final ZoneId zone;
    private final String adminUiBase;
    private final int maxRows;

    public StuckDigest(MailTemplates templates, ZoneId zone, String adminUiBase, int maxRows) {
        this.templates = templates;
        this.zone = zone;
        this.adminUiBase = adminUiBase == null ? "" : adminUiBase.replaceAll("/+$", "");
        this.maxRows = maxRows;
    }

    public MailTemplates.Rendered render(Input in) {
        Instant at = in.at();
        Map<String, List<Alert>> byStore = new LinkedHashMap<>();
        for (Alert a : in.firing()) {
            byStore.computeIfAbsent(a.storeId() == null ? "" : a.storeId(), k -> new ArrayList<>()).add(a);
        }
        byStore.values().forEach(list -> list.sort(Comparator.comparing((Alert a) -> waitingSince(a, at)).thenComparing(Alert::fingerprint)));
        List<List<Alert>> groups = new ArrayList<>(byStore.values());
        groups.sort(Comparator.comparing((List<Alert> g) -> waitingSince(g.get(0), at)).thenComparing(g -> g.get(0).fingerprint()));

        List<Map<String, Object>> pharmacies = new ArrayList<>();
        int shown = 0;
        for (List<Alert> g : groups) {
            if (shown >= maxRows) {
                break;
            }
            List<Alert> orders = g.subList(0, Math.min(g.size(), maxRows - shown));
            shown += orders.size();
            pharmacies.add(pharmacy(g.get(0), orders, g.size(), in, at));
        }
        long newCount = in.firing().stream().filter(a -> in.newOnes().contains(a.fingerprint())).count();
        Map<String, Long> byStatus = new TreeMap<>();
        in.firing().forEach(a -> byStatus.merge(Labels.status(orDash(str(a.details(), "status"))), 1L, Long::sum));
        List<Map<String, Object>> totals = byStatus.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()
                .thenComparing(Map.Entry.comparingByKey())).map(e -> Map.<String, Object>of("status", e.getKey(), "count", e.getValue())).toList();

        Map<String, Object> scope = new LinkedHashMap<>();
        scope.put("at", WHEN.format(at.atZone(zone)));
        scope.put("zoneName", zone.getDisplayName(TextStyle.FULL, RU) + " (" + zone.getId() + ")");
        scope.put("total", in.firing().size());
        scope.put("nothingStuck", in.firing().isEmpty());
        scope.put("pharmacyCount", groups.size());
        scope.put("statusTotals", totals);
        scope.put("statusLine", totals.stream().map(t -> t.get("status") + " " + t.get("count")).collect(Collectors.joining(", ")));
        scope.put("hasNew", newCount > 0);
        scope.put("newCount", newCount);
        List<Alert> resolved = new ArrayList<>(in.resolved());
        resolved.sort(Comparator.comparing(a -> String.valueOf(a.orderId())));
        scope.put("hasResolved", !resolved.isEmpty());
        scope.put("resolvedCount", resolved.size());
        scope.put("resolved", resolved.stream().limit(MAX_RESOLVED_NAMED)
                .map(a -> Map.<String, Object>of("orderId", orDash(a.orderId()), "orderUrl", adminUiBase + "/orders/" + a.orderId())).toList());
        scope.put("resolvedMore", Math.max(0, resolved.size() - MAX_RESOLVED_NAMED) > 0 ? resolved.size() - MAX_RESOLVED_NAMED : null);
        if (in.catchUp() != null) {
            long began = Stream.concat(in.firing().stream(), resolved.stream())
                    .filter(a -> a.startedAt() != null && !a.startedAt().toInstant().isBefore(in.catchUp())).count();
            scope.put("catchUp", Map.of("since", WHEN.format(in.catchUp().atZone(zone)), "began", began, "resolved", resolved.size()));
        }
        if (in.late() != null) {
            scope.put("late", Map.of("reason", in.late()));
        }
        scope.put("pharmacies", pharmacies);
        scope.put("hasMore", in.firing().size() > shown);
        scope.put("moreCount", Math.max(0, in.firing().size() - shown));
        return templates.render(MailTemplates.STUCK_DIGEST, scope);
    }

    private Map<String, Object> pharmacy(Alert first, List<Alert> orders, int total, Input in, Instant at) {
        Map<String, Object> d = first.details();
        Optional<Store> store = first.storeId() == null ? Optional.empty() : in.stores().apply(first.storeId());
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("storeName", orDash(str(d, "storeName") != null ? str(d, "storeName") : store.map(Store::name).orElse(first.storeId())));
        p.put("storeUrl", first.storeId() == null ? null : adminUiBase + "/stores/" + first.storeId());
        p.put("chain", str(d, "chainName") != null ? str(d, "chainName") : store.map(Store::chainName).orElse(null));
        p.put("address", str(d, "storeAddress") != null ? str(d, "storeAddress") : store.map(Store::address).orElse(null));
        p.put("phone", str(d, "storePhone") != null ? str(d, "storePhone") : store.map(Store::phone).orElse(null));
        p.put("orderCount", total);
        p.put("longestWait", Labels.duration(Duration.between(waitingSince(first, at), at)));
        store.ifPresent(s -> p.put("hours", openNow(s, at)));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Alert a : orders) {
            rows.add(row(a, in.newOnes().contains(a.fingerprint()), at));
        }
        p.put("orders", rows);
        p.put("moreHere", total > orders.size() ? total - orders.size() : null);
        return p;
    }

    /** "открыта, местное время 14:05" or "закрыта до 09:00 по местному времени (сейчас 03:12)". */
    static String openNow(Store s, Instant at) {
        ZoneId z;
        try {
            z = s.timezone() == null ? null : ZoneId.of(s.timezone());
        } catch (RuntimeException e) {
            z = null;
        }
        if (z == null || s.openingHours() == null) {
            return null;
        }
        ZonedDateTime local = at.atZone(z);
        if (s.openingHours().isAlwaysOpen()) {
            return "круглосуточно, местное время " + HM.format(local);
        }
        if (s.openingHours().isOpenAt(at, z)) {
            return "открыта, местное время " + HM.format(local);
        }
        Instant opens = nextOpening(s, at, z);
        if (opens == null) {
            return "закрыта (часы работы не указаны), местное время " + HM.format(local);
        }
        ZonedDateTime o = opens.atZone(z);
        String day = o.toLocalDate().equals(local.toLocalDate()) ? ""
                : o.toLocalDate().equals(local.toLocalDate().plusDays(1)) ? "завтра " : dayName(o.getDayOfWeek()) + " ";
        return "закрыта до " + day + HM.format(o) + " по местному времени (сейчас " + HM.format(local) + ")";
    }

    private static String dayName(DayOfWeek d) {
        return d.getDisplayName(TextStyle.SHORT, RU);
    }

    /** The next minute the pharmacy is open, within a week. */
    static Instant nextOpening(Store s, Instant at, ZoneId z) {
        Instant t = at.truncatedTo(ChronoUnit.MINUTES);
        Instant limit = t.plus(Duration.ofDays(8));
        // quarter-hour steps, then back to the minute
        while (t.isBefore(limit)) {
            Instant next = t.plus(Duration.ofMinutes(15));
            if (!s.openingHours().openTimeBetween(t, next, z).isZero()) {
                Instant m = t;
                while (!s.openingHours().isOpenAt(m, z) && m.isBefore(next)) {
                    m = m.plus(Duration.ofMinutes(1));
                }
                return m;
            }
            t = next;
        }
        return null;
    }

    private Map<String, Object> row(Alert a, boolean isNew, Instant at) {
        Map<String, Object> d = a.details();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("orderId", a.orderId());
        r.put("orderUrl", adminUiBase + "/orders/" + a.orderId());
        r.put("isNew", isNew);
        r.put("statusRu", orDash(Labels.status(str(d, "status"))));
        r.put("deliveryRu", orDash(Labels.deliveryType(str(d, "deliveryType"))));
        boolean planned = "PLANNED_DELIVERY_PASSED".equals(str(d, "reason"));
        r.put("reasonRu", planned ? "Просрочена плановая доставка" : "Долго в статусе");
        OffsetDateTime since = time(planned ? str(d, "plannedDeliveryAt") : str(d, "statusChangedAt"));
        r.put("inStatus", since == null ? "—" : (planned ? "просрочка " : "") + Labels.duration(Duration.between(since.toInstant(), at)));
        Object limit = d.get("limitMinutes");
        r.put("limit", !planned && limit instanceof Number n ? Labels.duration(Duration.ofMinutes(n.longValue()))
                + (Boolean.TRUE.equals(d.get("pharmacyHoursOnly")) ? " в часы работы аптеки" : "") : null);
        OffsetDateTime plannedAt = time(str(d, "plannedDeliveryAt"));
        r.put("planned", plannedAt == null ? null : WHEN.format(plannedAt.atZoneSameInstant(zone)));
        String customer = String.join(", ", Stream.of(str(d, "customerName"), str(d, "customerPhone"))
                .filter(s -> s != null && !s.isBlank()).toList());
        r.put("customer", customer.isEmpty() ? "—" : customer);
        Object amount = d.get("amount");
        r.put("amount", amount == null ? null : new BigDecimal(amount.toString()).setScale(2, RoundingMode.HALF_UP).toPlainString());
        r.put("invoice", str(d, "invoiceNumber"));
        return r;
    }

    /** Since when the order waits: in its status, or past its planned delivery; the alert's start otherwise. */
    private static Instant waitingSince(Alert a, Instant at) {
        Map<String, Object> d = a.details();
        boolean planned = "PLANNED_DELIVERY_PASSED".equals(str(d, "reason"));
        OffsetDateTime since = time(planned ? str(d, "plannedDeliveryAt") : str(d, "statusChangedAt"));
        if (since == null) {
            since = a.startedAt();
        }
        return since == null ? at : since.toInstant();
    }

    static String str(Map<String, Object> d, String key) {
        Object v = d.get(key);
        return v == null ? null : v.toString();
    }

    static String orDash(String s) {
        return s == null || s.isBlank() ? "—" : s;
    }

    static OffsetDateTime time(String iso) {
        try {
            return iso == null ? null : OffsetDateTime.parse(iso);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
