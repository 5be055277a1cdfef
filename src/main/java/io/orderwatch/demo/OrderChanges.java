package io.orderwatch.demo;

import io.orderwatch.model.Courier;
import io.orderwatch.model.DeliveryType;
import io.orderwatch.model.ExportError;
import io.orderwatch.model.ExportInfo;
import io.orderwatch.model.ExportState;
import io.orderwatch.model.Order;
import io.orderwatch.model.OrderItem;
import io.orderwatch.model.OrderStatus;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * What happens to an order in the marketplace, one change at a time. Each method returns the changed
 * order with its old {@code updatedAt}; the world stamps the new one when it commits the change.
 */
final class OrderChanges {

    private OrderChanges() {}

    /** The status after this one on the way to the customer; final statuses stay. */
    static OrderStatus next(Order o) {
        return switch (o.status()) {
            case NEW -> OrderStatus.EXPORTED;
            case EXPORTED -> OrderStatus.CONFIRMED;
            case CONFIRMED -> OrderStatus.ASSEMBLING;
            case ASSEMBLING -> OrderStatus.READY;
            case READY -> o.deliveryType() == DeliveryType.PICKUP ? OrderStatus.COMPLETED : OrderStatus.IN_DELIVERY;
            case IN_DELIVERY -> OrderStatus.COMPLETED;
            default -> o.status();
        };
    }

    /** True while the order waits on the pharmacy itself, which only works during its opening hours. */
    static boolean waitsOnPharmacy(Order o) {
        return switch (o.status()) {
            case EXPORTED, CONFIRMED, ASSEMBLING -> true;
            case READY -> o.deliveryType() == DeliveryType.PICKUP;
            default -> false;
        };
    }

    /** One step forward, with the facts that come with it: export sent and acknowledged, invoice, courier. */
    static Order advance(Order o, Pharmacy pharmacy, OrderGenerator generator, OffsetDateTime now) {
        OrderDraft d = OrderDraft.of(o).status(next(o), now);
        ExportInfo e = o.export();
        String system = e == null ? pharmacy.exportSystem() : e.system();
        int attempts = e == null ? 0 : e.attempts();
        switch (d.status) {
            case EXPORTED -> d.export = new ExportInfo(ExportState.SENT, system, attempts + 1, now, null);
            case CONFIRMED -> {
                d.export = new ExportInfo(ExportState.ACKNOWLEDGED, system, Math.max(1, attempts), e == null ? now : e.lastAttemptAt(), null);
                d.invoiceNumber = generator.invoiceNumber(pharmacy, now);
            }
            case READY, IN_DELIVERY -> {
                if (d.courier != null && d.courier.trackingNumber() == null) {
                    d.courier = new Courier(d.courier.service(), generator.trackingNumber(d.courier.service()));
                }
            }
            default -> { }
        }
        return d.build();
    }

    static Order cancel(Order o, OffsetDateTime now) {
        return OrderDraft.of(o).status(OrderStatus.CANCELLED, now).build();
    }

    static Order refund(Order o, OffsetDateTime now) {
        return OrderDraft.of(o).status(OrderStatus.REFUNDED, now).build();
    }

    /** Another failed attempt to hand the order to the pharmacy's system. */
    static Order exportFailed(Order o, String system, String code, String message, OffsetDateTime at) {
        int attempts = o.export() == null ? 0 : o.export().attempts();
        OrderDraft d = OrderDraft.of(o);
        d.export = new ExportInfo(ExportState.FAILED, system, attempts + 1, at, new ExportError(code, message));
        return d.build();
    }

    /** The pharmacy's system took the order at last: a NEW order becomes EXPORTED. */
    static Order exportSucceeded(Order o, OffsetDateTime now) {
        OrderDraft d = OrderDraft.of(o);
        int attempts = o.export() == null ? 1 : o.export().attempts() + 1;
        String system = o.export() == null ? null : o.export().system();
        if (o.status() == OrderStatus.NEW) {
            d.status(OrderStatus.EXPORTED, now);
            d.export = new ExportInfo(ExportState.SENT, system, attempts, now, null);
        } else {
            d.export = new ExportInfo(ExportState.ACKNOWLEDGED, system, attempts, now, null);
        }
        return d.build();
    }

    /**
     * The line cannot be matched to the pharmacy's catalogue: without a code at all (NO_STORE_SKU, or a
     * silent null), or with a code that the stock feed does not list or that carries another price.
     */
    static Order unlink(Order o, int lineIndex, String reason) {
        List<OrderItem> items = new ArrayList<>(o.items());
        OrderItem line = items.get(lineIndex);
        boolean keepSku = "SKU_NOT_IN_STOCK_FEED".equals(reason) || "PRICE_MISMATCH".equals(reason);
        items.set(lineIndex, new OrderItem(line.lineId(), line.productId(), line.name(), line.quantity(), line.price(),
                keepSku ? line.storeSku() : null, reason));
        return OrderDraft.of(o).items(items).build();
    }

    /** An operator fixed the links: every line carries the pharmacy's code again. */
    static Order relink(Order o, Pharmacy pharmacy) {
        List<OrderItem> items = new ArrayList<>();
        for (OrderItem i : o.items()) {
            items.add(new OrderItem(i.lineId(), i.productId(), i.name(), i.quantity(), i.price(), pharmacy.skuFor(i.productId()), null));
        }
        return OrderDraft.of(o).items(items).build();
    }

    /** An operator moved the order to another pharmacy; it starts over there. */
    static Order reroute(Order o, Pharmacy to, OffsetDateTime now) {
        OrderDraft d = OrderDraft.of(o).status(OrderStatus.NEW, now);
        d.storeId = to.id();
        d.region = to.store().region();
        d.city = to.store().city();
        d.invoiceNumber = null;
        d.export = new ExportInfo(ExportState.PENDING, to.exportSystem(), 0, null, null);
        List<OrderItem> items = new ArrayList<>();
        for (OrderItem i : o.items()) {
            items.add(new OrderItem(i.lineId(), i.productId(), i.name(), i.quantity(), i.price(), to.skuFor(i.productId()), null));
        }
        return d.items(items).build();
    }

    // ---- composition changes ------------------------------------------------------------

    /** The pharmacy has none left: the last line goes. */
    static Order removeLine(Order o) {
        List<OrderItem> items = new ArrayList<>(o.items());
        items.remove(items.size() - 1);
        return OrderDraft.of(o).items(items).build();
    }

    /** The customer wants one more (or, with one, one less) of the first line. */
    static Order changeQuantity(Order o) {
        List<OrderItem> items = new ArrayList<>(o.items());
        OrderItem first = items.get(0);
        int quantity = first.quantity() > 1 ? first.quantity() - 1 : first.quantity() + 1;
        items.set(0, new OrderItem(first.lineId(), first.productId(), first.name(), quantity, first.price(), first.storeSku(), first.linkError()));
        return OrderDraft.of(o).items(items).build();
    }

    /** The pharmacy's price for the first line went up since the order was placed. */
    static Order changePrice(Order o) {
        List<OrderItem> items = new ArrayList<>(o.items());
        OrderItem first = items.get(0);
        BigDecimal price = first.price().multiply(new BigDecimal("1.08")).setScale(1, RoundingMode.HALF_UP).setScale(2, RoundingMode.UNNECESSARY);
        items.set(0, new OrderItem(first.lineId(), first.productId(), first.name(), first.quantity(), price, first.storeSku(), first.linkError()));
        return OrderDraft.of(o).items(items).build();
    }

    /** The last line is replaced by an analogue, as a new line; the customer agreed on the phone. */
    static Order replaceLine(Order o, Pharmacy pharmacy, OrderGenerator generator) {
        List<OrderItem> items = new ArrayList<>(o.items());
        OrderItem old = items.remove(items.size() - 1);
        String analogue = DemoCatalog.ANALOGUES.get(old.productId());
        DemoCatalog.Product product = analogue != null ? DemoCatalog.product(analogue)
                : DemoCatalog.PRODUCTS.stream().filter(p -> o.items().stream().noneMatch(i -> i.productId().equals(p.id())))
                        .findFirst().orElseThrow();
        int lineNo = o.items().stream().mapToInt(i -> Integer.parseInt(i.lineId())).max().orElse(0) + 1;
        items.add(generator.line(pharmacy, lineNo, product, old.quantity()));
        return OrderDraft.of(o).items(items).build();
    }
}
