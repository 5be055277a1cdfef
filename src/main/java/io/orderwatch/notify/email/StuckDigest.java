package io.orderwatch.notify.email;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import io.orderwatch.alert.Alert;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Renders the hourly stuck-order e-mail from the templates in config/templates/email: new stuck
 * orders first, then the rest, each oldest problem first, with what an operator needs to chase the
 * pharmacy or the customer. Long lists are capped; the rest is counted.
 */
public final class StuckDigest {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm");
    private static final Map<String, String> STATUS = Map.of(
            "NEW", "Новый", "EXPORTED", "Передан в аптеку", "CONFIRMED", "Подтверждён аптекой", "ASSEMBLING", "Собирается",
            "READY", "Готов к выдаче", "IN_DELIVERY", "У курьера", "COMPLETED", "Выполнен", "CANCELLED", "Отменён",
            "REFUNDED", "Возврат");
    private static final Map<String, String> DELIVERY = Map.of(
            "PICKUP", "Самовывоз", "COURIER", "Курьер", "EXPRESS", "Экспресс", "POST", "Почта России");

    private final Mustache subject;
    private final Mustache text;
    private final Mustache html;
    private final ZoneId zone;
    private final String adminUiBase;
    private final int maxRows;

    public StuckDigest(Path templateDir, ZoneId zone, String adminUiBase, int maxRows) {
        if (!Files.isDirectory(templateDir)) {
            throw new IllegalArgumentException("no e-mail templates in " + templateDir);
        }
        DefaultMustacheFactory htmlFactory = new DefaultMustacheFactory(templateDir.toFile());
        DefaultMustacheFactory plainFactory = new DefaultMustacheFactory(templateDir.toFile()) {
            @Override
            public void encode(String value, Writer writer) {
                try {
                    writer.write(value);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        this.subject = plainFactory.compile("stuck-digest.subject.mustache");
        this.text = plainFactory.compile("stuck-digest.txt.mustache");
        this.html = htmlFactory.compile("stuck-digest.html.mustache");
        this.zone = zone;
        this.adminUiBase = adminUiBase == null ? "" : adminUiBase.replaceAll("/+$", "");
        this.maxRows = maxRows;
    }

    /**
     * @param firing        the FIRING, unmuted STUCK_ORDER alerts
     * @param newOnes       fingerprints not in any earlier digest
     * @param resolvedCount how many resolved since the previous digest
     * @return nothing when no order is stuck
     */
    public Optional<OutgoingMail> render(List<Alert> firing, Set<String> newOnes, int resolvedCount, Instant at,
                                         String messageId, String from, List<String> to) {
        if (firing.isEmpty()) {
            return Optional.empty();
        }
        List<Alert> sorted = new ArrayList<>(firing);
        sorted.sort(Comparator.comparing((Alert a) -> !newOnes.contains(a.fingerprint()))
                .thenComparing(a -> a.startedAt() == null ? Instant.MAX : a.startedAt().toInstant())
                .thenComparing(Alert::fingerprint));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Alert a : sorted.subList(0, Math.min(maxRows, sorted.size()))) {
            rows.add(row(a, newOnes.contains(a.fingerprint()), at));
        }
        long newCount = firing.stream().filter(a -> newOnes.contains(a.fingerprint())).count();
        Map<String, Object> scope = new LinkedHashMap<>();
        scope.put("at", WHEN.format(at.atZone(zone)));
        scope.put("zoneName", zone.getDisplayName(TextStyle.FULL, Locale.forLanguageTag("ru")) + " (" + zone.getId() + ")");
        scope.put("total", firing.size());
        scope.put("hasNew", newCount > 0);
        scope.put("newCount", newCount);
        scope.put("hasResolved", resolvedCount > 0);
        scope.put("resolvedCount", resolvedCount);
        scope.put("rows", rows);
        scope.put("hasMore", sorted.size() > maxRows);
        scope.put("moreCount", Math.max(0, sorted.size() - maxRows));
        return Optional.of(new OutgoingMail(messageId, from, to, run(subject, scope).strip(), run(text, scope), run(html, scope)));
    }

    private Map<String, Object> row(Alert a, boolean isNew, Instant at) {
        Map<String, Object> d = a.details();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("orderId", a.orderId());
        r.put("orderUrl", adminUiBase + "/orders/" + a.orderId());
        r.put("isNew", isNew);
        r.put("statusRu", translate(STATUS, str(d, "status")));
        r.put("deliveryRu", translate(DELIVERY, str(d, "deliveryType")));
        boolean planned = "PLANNED_DELIVERY_PASSED".equals(str(d, "reason"));
        r.put("reasonRu", planned ? "Просрочена плановая доставка" : "Долго в статусе");
        OffsetDateTime since = time(planned ? str(d, "plannedDeliveryAt") : str(d, "statusChangedAt"));
        r.put("inStatus", since == null ? "—" : (planned ? "просрочка " : "") + duration(Duration.between(since.toInstant(), at)));
        Object limit = d.get("limitMinutes");
        r.put("limit", !planned && limit instanceof Number n ? duration(Duration.ofMinutes(n.longValue()))
                + (Boolean.TRUE.equals(d.get("pharmacyHoursOnly")) ? " в часы работы аптеки" : "") : null);
        OffsetDateTime plannedAt = time(str(d, "plannedDeliveryAt"));
        r.put("planned", plannedAt == null ? null : WHEN.format(plannedAt.atZoneSameInstant(zone)));
        r.put("storeName", orDash(str(d, "storeName") != null ? str(d, "storeName") : a.storeId()));
        r.put("storeUrl", a.storeId() == null ? null : adminUiBase + "/stores/" + a.storeId());
        r.put("storeAddress", str(d, "storeAddress"));
        r.put("storePhone", str(d, "storePhone"));
        String customer = String.join(", ", java.util.stream.Stream.of(str(d, "customerName"), str(d, "customerPhone"))
                .filter(s -> s != null && !s.isBlank()).toList());
        r.put("customer", customer.isEmpty() ? "—" : customer);
        Object amount = d.get("amount");
        r.put("amount", amount == null ? null : new BigDecimal(amount.toString()).setScale(2, java.math.RoundingMode.HALF_UP).toPlainString());
        r.put("invoice", str(d, "invoiceNumber"));
        return r;
    }

    /** "2 д 3 ч", "5 ч 12 мин", "45 мин". */
    static String duration(Duration d) {
        long minutes = Math.max(0, d.toMinutes());
        long days = minutes / 1440;
        long hours = (minutes % 1440) / 60;
        long mins = minutes % 60;
        if (days > 0) {
            return days + " д" + (hours > 0 ? " " + hours + " ч" : "");
        }
        if (hours > 0) {
            return hours + " ч" + (mins > 0 ? " " + mins + " мин" : "");
        }
        return mins + " мин";
    }

    /** The Russian name, the code itself when there is none, a dash when there is no code. */
    private static String translate(Map<String, String> names, String code) {
        return code == null ? "—" : names.getOrDefault(code, code);
    }

    private static String str(Map<String, Object> d, String key) {
        Object v = d.get(key);
        return v == null ? null : v.toString();
    }

    private static String orDash(String s) {
        return s == null || s.isBlank() ? "—" : s;
    }

    private static OffsetDateTime time(String iso) {
        try {
            return iso == null ? null : OffsetDateTime.parse(iso);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String run(Mustache m, Object scope) {
        StringWriter w = new StringWriter();
        m.execute(w, scope);
        return w.toString();
    }
}
