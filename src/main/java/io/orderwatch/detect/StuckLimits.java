package io.orderwatch.detect;

import io.orderwatch.model.DeliveryType;
import io.orderwatch.model.OrderStatus;

import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How long an order may stay in each status before it is stuck: a limit per status, optionally
 * overridden per delivery type, and the statuses whose clock only runs while the pharmacy is open.
 * Built from {@code orderwatch.stuck.*} settings; no limit lives in code.
 */
public final class StuckLimits {

    private final Map<OrderStatus, Duration> byStatus;
    private final Map<OrderStatus, Map<DeliveryType, Duration>> byStatusAndType;
    private final Set<OrderStatus> pharmacyHours;
    private final Duration plannedDeliveryGrace;

    private StuckLimits(Map<OrderStatus, Duration> byStatus, Map<OrderStatus, Map<DeliveryType, Duration>> byStatusAndType,
                        Set<OrderStatus> pharmacyHours, Duration plannedDeliveryGrace) {
        this.byStatus = byStatus;
        this.byStatusAndType = byStatusAndType;
        this.pharmacyHours = pharmacyHours;
        this.plannedDeliveryGrace = plannedDeliveryGrace;
    }

    /**
     * Reads {@code limit.<STATUS>} and {@code limit.<STATUS>.<DELIVERY_TYPE>} (durations such as
     * {@code 45m}, {@code 4h}, {@code 3d}), {@code pharmacy-hours-statuses} (comma-separated) and
     * {@code planned-delivery-grace}, all relative to the {@code orderwatch.stuck.} prefix.
     *
     * @throws IllegalArgumentException naming the setting that is wrong
     */
    public static StuckLimits fromSettings(Map<String, String> settings) {
        Map<OrderStatus, Duration> byStatus = new EnumMap<>(OrderStatus.class);
        Map<OrderStatus, Map<DeliveryType, Duration>> byType = new EnumMap<>(OrderStatus.class);
        Set<OrderStatus> pharmacyHours = EnumSet.noneOf(OrderStatus.class);
        Duration grace = Duration.ofMinutes(30);
        for (Map.Entry<String, String> e : settings.entrySet()) {
            String key = e.getKey();
            String value = e.getValue() == null ? "" : e.getValue().trim();
            if (key.startsWith("limit.")) {
                String[] parts = key.substring("limit.".length()).split("\\.");
                OrderStatus status = parseEnum(OrderStatus.class, parts[0], key);
                if (status.isFinal()) {
                    throw new IllegalArgumentException("orderwatch.stuck." + key + ": " + status + " is a final status and cannot be stuck");
                }
                Duration limit = parseDuration(value, "orderwatch.stuck." + key);
                if (parts.length == 1) {
                    byStatus.put(status, limit);
                } else if (parts.length == 2) {
                    byType.computeIfAbsent(status, s -> new EnumMap<>(DeliveryType.class))
                            .put(parseEnum(DeliveryType.class, parts[1], key), limit);
                } else {
                    throw new IllegalArgumentException("orderwatch.stuck." + key + ": expected limit.<STATUS> or limit.<STATUS>.<DELIVERY_TYPE>");
                }
            } else if (key.equals("pharmacy-hours-statuses")) {
                for (String s : value.split(",")) {
                    if (!s.isBlank()) {
                        pharmacyHours.add(parseEnum(OrderStatus.class, s.trim(), key));
                    }
                }
            } else if (key.equals("planned-delivery-grace")) {
                grace = parseDuration(value, "orderwatch.stuck." + key);
            }
        }
        return new StuckLimits(byStatus, byType, pharmacyHours, grace);
    }

    /** The limit for this status and delivery type, or empty when the status has none. */
    public Optional<Duration> limit(OrderStatus status, DeliveryType type) {
        Map<DeliveryType, Duration> perType = byStatusAndType.get(status);
        if (perType != null && type != null && perType.containsKey(type)) {
            return Optional.of(perType.get(type));
        }
        return Optional.ofNullable(byStatus.get(status));
    }

    /** Statuses that wait on the pharmacy: their clock only runs during its opening hours. */
    public boolean countsPharmacyHours(OrderStatus status) {
        return pharmacyHours.contains(status);
    }

    public Duration plannedDeliveryGrace() {
        return plannedDeliveryGrace;
    }

    /** {@code 90s}, {@code 45m}, {@code 4h}, {@code 3d}, or ISO-8601 ({@code PT4H}). */
    public static Duration parseDuration(String value, String setting) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.startsWith("p")) {
                return Duration.parse(v.toUpperCase(Locale.ROOT));
            }
            if (v.endsWith("ms") && v.length() > 2) {
                long ms = Long.parseLong(v.substring(0, v.length() - 2).trim());
                if (ms >= 0) {
                    return Duration.ofMillis(ms);
                }
            } else if (v.length() >= 2) {
                long n = Long.parseLong(v.substring(0, v.length() - 1).trim());
                if (n >= 0) {
                    switch (v.charAt(v.length() - 1)) {
                        case 's': return Duration.ofSeconds(n);
                        case 'm': return Duration.ofMinutes(n);
                        case 'h': return Duration.ofHours(n);
                        case 'd': return Duration.ofDays(n);
                        default: break;
                    }
                }
            }
        } catch (RuntimeException ignored) {
            // fall through to the clear message below
        }
        throw new IllegalArgumentException(setting + ": expected a duration such as 500ms, 45m, 4h or 3d, got \"" + value + "\"");
    }

    private static <E extends Enum<E>> E parseEnum(Class<E> type, String value, String key) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("orderwatch.stuck." + key + ": unknown " + type.getSimpleName() + " \"" + value + "\"");
        }
    }
}
