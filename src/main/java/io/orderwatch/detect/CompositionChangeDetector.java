package io.orderwatch.detect;

import io.orderwatch.alert.AlertKind;
import io.orderwatch.alert.Finding;
import io.orderwatch.model.Order;
import io.orderwatch.model.OrderItem;
import io.orderwatch.model.Store;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * COMPOSITION_CHANGED: lines removed, added or replaced, quantities or prices changed, against the
 * last version seen. The subject is the order plus a digest of the composition after the change, so
 * the same change is one alert whether the poll or the ORDER_ITEMS_CHANGED event brought it first.
 * It asks an operator to confirm with the customer, so it stays until the order is final.
 */
public final class CompositionChangeDetector implements OrderDetector {

    @Override
    public String kind() {
        return AlertKind.COMPOSITION_CHANGED;
    }

    /** A change happened once; a later version without a new change does not undo it. */
    @Override
    public boolean resolvesWhenAbsent() {
        return false;
    }

    @Override
    public List<Finding> evaluate(Order order, Store store, Order previous, Instant now) {
        if (previous == null || order.isFinal() || sameComposition(previous.items(), order.items())) {
            return List.of();
        }
        return List.of(finding(order.id(), order.storeId(), store, order.region(), previous.items(), order.items(),
                null, order.updatedAt()));
    }

    public static Finding finding(String orderId, String storeId, Store store, String region, List<OrderItem> before,
                                  List<OrderItem> after, String changedBy, OffsetDateTime at) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("before", lines(before));
        d.put("after", lines(after));
        d.put("changes", describe(before, after));
        if (changedBy != null) {
            d.put("changedBy", changedBy);
        }
        if (store != null) {
            d.put("storeName", store.name());
            d.put("chainName", store.chainName());
        }
        return new Finding(AlertKind.COMPOSITION_CHANGED, orderId + ":" + digest(after), orderId, storeId,
                store == null ? null : store.chainId(), region != null ? region : store == null ? null : store.region(), at, d);
    }

    static boolean sameComposition(List<OrderItem> a, List<OrderItem> b) {
        return digest(a).equals(digest(b));
    }

    /** Order-insensitive digest of what matters to the customer: product, quantity, price per line. */
    static String digest(List<OrderItem> items) {
        List<String> keys = new ArrayList<>();
        for (OrderItem i : items) {
            keys.add(i.lineId() + "|" + i.productId() + "|" + i.quantity() + "|" + price(i.price()));
        }
        keys.sort(Comparator.naturalOrder());
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(String.join(";", keys).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Human-readable list of what changed, line by line (Russian, for the operator). */
    static List<String> describe(List<OrderItem> before, List<OrderItem> after) {
        Map<String, OrderItem> was = new LinkedHashMap<>();
        before.forEach(i -> was.put(i.lineId(), i));
        Map<String, OrderItem> now = new LinkedHashMap<>();
        after.forEach(i -> now.put(i.lineId(), i));
        List<String> out = new ArrayList<>();
        for (OrderItem b : before) {
            OrderItem a = now.get(b.lineId());
            if (a == null) {
                out.add("удалена позиция: " + b.name() + " ×" + b.quantity());
            } else if (!Objects.equals(a.productId(), b.productId())) {
                out.add("замена: " + b.name() + " → " + a.name());
            } else {
                if (a.quantity() != b.quantity()) {
                    out.add(a.name() + ": количество " + b.quantity() + " → " + a.quantity());
                }
                if (!price(a.price()).equals(price(b.price()))) {
                    out.add(a.name() + ": цена " + price(b.price()) + " → " + price(a.price()) + " ₽");
                }
            }
        }
        for (OrderItem a : after) {
            if (!was.containsKey(a.lineId())) {
                out.add("добавлена позиция: " + a.name() + " ×" + a.quantity());
            }
        }
        return out;
    }

    private static List<Map<String, Object>> lines(List<OrderItem> items) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (OrderItem i : items) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("lineId", i.lineId());
            m.put("productId", i.productId());
            m.put("name", i.name());
            m.put("quantity", i.quantity());
            m.put("price", i.price());
            out.add(m);
        }
        return out;
    }

    private static String price(BigDecimal p) {
        return p == null ? "—" : p.stripTrailingZeros().toPlainString();
    }
}
