package io.orderwatch.notify.email;

import io.orderwatch.alert.Alert;
import io.orderwatch.alert.AlertKind;
import io.orderwatch.alert.AlertState;
import io.orderwatch.model.Order;
import io.orderwatch.notify.Labels;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import static io.orderwatch.notify.email.StuckDigest.orDash;
import static io.orderwatch.notify.email.StuckDigest.str;

/**
 * The team's other e-mails (TEAM_MAIL_TO): a composition change to confirm with the customer, the
 * cities customers could not find, and the alerts about the alerting itself (SOURCE_DOWN,
 * DELIVERY_FAILED) with their resolution.
 */
public final class TeamMails {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm");
    private static final int MAX_CONTACTS_SHOWN = 50;

    private final MailTemplates templates;
    private final ZoneId zone;
    private final String adminUiBase;

    public TeamMails(MailTemplates templates, ZoneId zone, String adminUiBase) {
        this.templates = templates;
        this.zone = zone;
        this.adminUiBase = adminUiBase == null ? "" : adminUiBase.replaceAll("/+$", "");
    }

    // ---- composition change ------------------------------------------------------------------

    /**
     * One e-mail for the changes of one order that arrived within the window: the lines before the first
     * and after the last, side by side, what changed highlighted.
     *
     * @param changes the order's COMPOSITION_CHANGED alerts, any order
     * @param order   the order as last seen (customer, amount, status), or null when unknown
     */
    @SuppressWarnings("unchecked")
    public MailTemplates.Rendered composition(List<Alert> changes, Order order) {
        List<Alert> sorted = new ArrayList<>(changes);
        sorted.sort(Comparator.comparing((Alert a) -> a.startedAt() == null ? OffsetDateTime.MAX : a.startedAt()).thenComparing(Alert::fingerprint));
        Alert first = sorted.get(0);
        Alert last = sorted.get(sorted.size() - 1);
        List<Map<String, Object>> before = (List<Map<String, Object>>) first.details().getOrDefault("before", List.of());
        List<Map<String, Object>> after = (List<Map<String, Object>>) last.details().getOrDefault("after", List.of());
        List<Map<String, Object>> lines = diff(before, after);
        Set<String> changedBy = new LinkedHashSet<>();
        sorted.forEach(a -> {
            if (a.details().get("changedBy") != null) {
                changedBy.add(a.details().get("changedBy").toString());
            }
        });
        String orderId = first.orderId();
        Map<String, Object> scope = new LinkedHashMap<>();
        scope.put("orderId", orDash(orderId));
        scope.put("orderUrl", adminUiBase + "/orders/" + orderId);
        scope.put("storeName", str(first.details(), "storeName"));
        scope.put("chain", str(first.details(), "chainName"));
        scope.put("changedBy", changedBy.isEmpty() ? null : String.join(", ", changedBy));
        scope.put("changeCount", sorted.size());
        scope.put("severalChanges", sorted.size() > 1);
        scope.put("at", last.startedAt() == null ? null : WHEN.format(last.startedAt().atZoneSameInstant(zone)));
        scope.put("lines", lines);
        // the lines are what changed; the order's own amount (with delivery, discounts) may not be updated yet
        BigDecimal amount = sum(after) != null ? sum(after) : order == null ? null : order.amount();
        scope.put("amount", amount == null ? null : amount.setScale(2, RoundingMode.HALF_UP).toPlainString());
        BigDecimal orderAmount = order == null ? null : order.amount();
        scope.put("orderAmount", orderAmount == null || amount == null || orderAmount.compareTo(amount) == 0 ? null
                : orderAmount.setScale(2, RoundingMode.HALF_UP).toPlainString());
        BigDecimal was = sum(before);
        scope.put("amountBefore", was == null ? null : was.setScale(2, RoundingMode.HALF_UP).toPlainString());
        if (order != null && order.customer() != null) {
            scope.put("customerName", order.customer().name());
            scope.put("customerPhone", order.customer().phone());
        }
        scope.put("hasCustomer", scope.get("customerName") != null || scope.get("customerPhone") != null);
        scope.put("status", order == null || order.status() == null ? null : Labels.status(order.status().name()));
        scope.put("deliveryType", order == null || order.deliveryType() == null ? null : Labels.deliveryType(order.deliveryType().name()));
        return templates.render(MailTemplates.COMPOSITION, scope);
    }

    /** Line by line: removed, added, replaced, quantity or price changed (highlighted), unchanged. */
    static List<Map<String, Object>> diff(List<Map<String, Object>> before, List<Map<String, Object>> after) {
        Map<String, Map<String, Object>> now = new LinkedHashMap<>();
        after.forEach(l -> now.put(String.valueOf(l.get("lineId")), l));
        Set<String> seen = new LinkedHashSet<>();
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> b : before) {
            String id = String.valueOf(b.get("lineId"));
            seen.add(id);
            Map<String, Object> a = now.get(id);
            if (a == null) {
                out.add(line(b, null, "удалена"));
            } else if (!Objects.equals(a.get("productId"), b.get("productId"))) {
                out.add(line(b, a, "замена"));
            } else {
                List<String> what = new ArrayList<>();
                if (!Objects.equals(num(a.get("quantity")), num(b.get("quantity")))) {
                    what.add("количество");
                }
                if (!Objects.equals(num(a.get("price")), num(b.get("price")))) {
                    what.add("цена");
                }
                out.add(line(b, a, what.isEmpty() ? null : String.join(" и ", what)));
            }
        }
        for (Map<String, Object> a : after) {
            if (!seen.contains(String.valueOf(a.get("lineId")))) {
                out.add(line(null, a, "добавлена"));
            }
        }
        return out;
    }

    private static Map<String, Object> line(Map<String, Object> b, Map<String, Object> a, String change) {
        Map<String, Object> l = new LinkedHashMap<>();
        Map<String, Object> named = a != null ? a : b;
        String nameBefore = b == null ? null : str(b, "name");
        String nameAfter = a == null ? null : str(a, "name");
        l.put("name", orDash(nameAfter != null ? nameAfter : nameBefore != null ? nameBefore : str(named, "productId")));
        l.put("nameBefore", "замена".equals(change) ? orDash(nameBefore) : null);
        l.put("before", b == null ? "—" : qtyPrice(b));
        l.put("after", a == null ? "—" : qtyPrice(a));
        l.put("change", change == null ? "без изменений" : change);
        l.put("changed", change != null);
        l.put("removed", "удалена".equals(change));
        l.put("added", "добавлена".equals(change));
        return l;
    }

    private static String qtyPrice(Map<String, Object> l) {
        BigDecimal price = num(l.get("price"));
        return l.get("quantity") + " шт." + (price == null ? "" : " × " + price.setScale(2, RoundingMode.HALF_UP).toPlainString() + " ₽");
    }

    private static BigDecimal num(Object o) {
        if (o == null) {
            return null;
        }
        try {
            return new BigDecimal(o.toString()).stripTrailingZeros();
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static BigDecimal sum(List<Map<String, Object>> lines) {
        BigDecimal total = BigDecimal.ZERO;
        for (Map<String, Object> l : lines) {
            BigDecimal p = num(l.get("price"));
            BigDecimal q = num(l.get("quantity"));
            if (p == null || q == null) {
                return null;
            }
            total = total.add(p.multiply(q));
        }
        return lines.isEmpty() ? null : total;
    }

    // ---- cities ------------------------------------------------------------------------------

    /** The cities asked for since the last such e-mail, most asked first. */
    @SuppressWarnings("unchecked")
    public MailTemplates.Rendered cities(List<Alert> cities, Instant since, Instant at) {
        List<Alert> sorted = new ArrayList<>(cities);
        sorted.sort(Comparator.comparing((Alert a) -> -count(a)).thenComparing(a -> String.valueOf(a.details().get("city"))));
        List<Map<String, Object>> rows = new ArrayList<>();
        long requests = 0;
        for (Alert a : sorted) {
            Map<String, Object> d = a.details();
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("city", orDash(str(d, "city")));
            r.put("count", count(a));
            requests += count(a);
            Map<String, Object> platforms = (Map<String, Object>) d.getOrDefault("platforms", Map.of());
            r.put("platforms", platforms.isEmpty() ? "—" : platforms.entrySet().stream()
                    .sorted(Map.Entry.comparingByKey()).map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
            List<Map<String, Object>> contacts = (List<Map<String, Object>>) d.getOrDefault("contacts", List.of());
            List<String> shown = contacts.stream().limit(MAX_CONTACTS_SHOWN).map(c -> String.join(", ",
                    java.util.stream.Stream.of(c.get("email"), c.get("phone")).filter(Objects::nonNull).map(Object::toString).toList()))
                    .filter(s -> !s.isBlank()).toList();
            r.put("contacts", shown);
            r.put("hasContacts", !shown.isEmpty());
            r.put("contactCount", contacts.size());
            r.put("moreContacts", contacts.size() > MAX_CONTACTS_SHOWN ? contacts.size() - MAX_CONTACTS_SHOWN : null);
            List<String> queries = (List<String>) d.getOrDefault("queries", List.of());
            r.put("queries", queries.size() > 1 ? String.join(", ", queries) : null);
            OffsetDateTime lastAt = StuckDigest.time(str(d, "lastRequestedAt"));
            r.put("lastAt", lastAt == null ? null : WHEN.format(lastAt.atZoneSameInstant(zone)));
            rows.add(r);
        }
        Map<String, Object> scope = new LinkedHashMap<>();
        scope.put("at", WHEN.format(at.atZone(zone)));
        scope.put("since", since == null ? null : WHEN.format(since.atZone(zone)));
        scope.put("cityCount", rows.size());
        scope.put("requests", requests);
        scope.put("cities", rows);
        return templates.render(MailTemplates.CITY_DIGEST, scope);
    }

    private static long count(Alert a) {
        Object c = a.details().get("count");
        return c instanceof Number n ? n.longValue() : 1;
    }

    // ---- alerts about the alerting ------------------------------------------------------------

    /** SOURCE_DOWN or DELIVERY_FAILED, firing or resolved. */
    public MailTemplates.Rendered ops(Alert a, Instant at) {
        Map<String, Object> d = a.details();
        boolean firing = a.state() == AlertState.FIRING;
        List<Map<String, Object>> facts = new ArrayList<>();
        String title;
        if (AlertKind.SOURCE_DOWN.equals(a.kind())) {
            title = firing ? "Админка не отвечает" : "Админка снова отвечает";
            fact(facts, "Источник", str(d, "source"));
            fact(facts, "Ошибка", str(d, "problem"));
            fact(facts, "Что делать", firing ? "Новые проблемы с заказами сейчас не видны: проверьте админку вручную и сообщите дежурному разработчику."
                    : "Данные снова обновляются; сводки и оповещения идут как обычно.");
        } else if (AlertKind.DELIVERY_FAILED.equals(a.kind())) {
            title = firing ? "Оповещение не доставлено" : "Оповещения снова доставляются";
            fact(facts, "Куда", sinkName(str(d, "sink")) + (str(d, "target") == null ? "" : " → " + str(d, "target")));
            fact(facts, "Ошибка", str(d, "error"));
            fact(facts, "Что делать", firing ? "Проверьте настройки этого канала; недоставленное лежит в GET /api/v1/dead-letters и отправляется повторно через replay."
                    : "Следующее сообщение прошло.");
        } else {
            title = Labels.kind(a.kind(), false);
        }
        OffsetDateTime since = a.startedAt() != null ? a.startedAt() : a.firstSeenAt();
        fact(facts, "С", since == null ? null : WHEN.format(since.atZoneSameInstant(zone)));
        if (!firing) {
            OffsetDateTime end = a.resolvedAt();
            fact(facts, "Решено", end == null ? WHEN.format(at.atZone(zone)) : WHEN.format(end.atZoneSameInstant(zone)));
            if (since != null && end != null) {
                fact(facts, "Длилось", Labels.duration(Duration.between(since, end)));
            }
        }
        Map<String, Object> scope = new LinkedHashMap<>();
        scope.put("firing", firing);
        scope.put("title", title);
        scope.put("facts", facts);
        scope.put("at", WHEN.format(at.atZone(zone)));
        return templates.render(MailTemplates.OPS_ALERT, scope);
    }

    private static String sinkName(String sink) {
        return switch (String.valueOf(sink)) {
            case "slack" -> "Slack";
            case "tickets" -> "хелпдеск";
            case "email" -> "e-mail";
            default -> orDash(sink);
        };
    }

    private static void fact(List<Map<String, Object>> facts, String label, String value) {
        if (value != null && !value.isBlank()) {
            facts.add(Map.of("label", label, "value", value));
        }
    }
}
