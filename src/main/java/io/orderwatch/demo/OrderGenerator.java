package io.orderwatch.demo;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.orderwatch.model.Courier;
import io.orderwatch.model.Customer;
import io.orderwatch.model.DeliveryType;
import io.orderwatch.model.ExportInfo;
import io.orderwatch.model.ExportState;
import io.orderwatch.model.Json;
import io.orderwatch.model.Order;
import io.orderwatch.model.OrderItem;
import io.orderwatch.model.OrderStatus;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * Makes realistic orders: customers, lines from the catalogue at the chain's prices, delivery promises
 * in the pharmacy's zone, and the export, invoice and courier facts that fit the order's status. The
 * {@link DemoWorld} places its orders through it; {@link #synthetic} and {@link #writeOrdersPage} make
 * any number of orders without keeping them, for load tests.
 */
public final class OrderGenerator {

    /** The admin system writes its timestamps in Moscow time, as the contract's examples do. */
    static final ZoneId ADMIN_ZONE = ZoneId.of("Europe/Moscow");
    private static final DateTimeFormatter INVOICE_MONTH = DateTimeFormatter.ofPattern("yyMM");

    private final Random random;
    private long lastId;

    OrderGenerator(Random random, long firstId) {
        this.random = random;
        this.lastId = firstId;
    }

    /** Order numbers grow with gaps: other services of the marketplace take numbers too. */
    String nextId() {
        lastId += 1 + random.nextInt(7);
        return Long.toString(lastId);
    }

    /** An order a customer has just placed: NEW, not yet sent to the pharmacy. */
    Order placed(Pharmacy pharmacy, OffsetDateTime at) {
        return atStatus(pharmacy, OrderStatus.NEW, deliveryType(), at, at);
    }

    /**
     * An order that has reached {@code status} at {@code statusChangedAt}, with a history that fits:
     * created before, exported, confirmed with an invoice, handed to a courier, as far as it got.
     */
    Order atStatus(Pharmacy pharmacy, OrderStatus status, DeliveryType type, OffsetDateTime statusChangedAt,
                   OffsetDateTime updatedAt) {
        // how far the order got before a cancellation; completed and refunded orders went all the way
        int reached = switch (status) {
            case CANCELLED -> random.nextInt(OrderStatus.READY.ordinal() + 1);
            case COMPLETED, REFUNDED -> OrderStatus.COMPLETED.ordinal();
            default -> status.ordinal();
        };
        int steps = status == OrderStatus.CANCELLED || status == OrderStatus.REFUNDED ? reached + 1 : reached;
        OffsetDateTime createdAt = statusChangedAt;
        for (int i = 0; i < steps; i++) {
            createdAt = createdAt.minusMinutes(3 + random.nextInt(25)).minusSeconds(random.nextInt(60));
        }
        OrderDraft d = new OrderDraft();
        d.id = nextId();
        d.source = DemoCatalog.SOURCES[random.nextInt(DemoCatalog.SOURCES.length)];
        d.createdAt = createdAt;
        d.status = status;
        d.statusChangedAt = statusChangedAt;
        d.updatedAt = updatedAt.isBefore(statusChangedAt) ? statusChangedAt : updatedAt;
        d.deliveryType = type;
        ZoneId zone = ZoneId.of(pharmacy.store().timezone());
        d.plannedDeliveryAt = plannedDelivery(type, createdAt, zone);
        d.storeId = pharmacy.id();
        d.region = pharmacy.store().region();
        d.city = pharmacy.store().city();
        d.customer = customer();
        d.items(items(pharmacy));
        OffsetDateTime exportedAt = createdAt.plusSeconds(20 + random.nextInt(150));
        if (exportedAt.isAfter(statusChangedAt)) {
            exportedAt = statusChangedAt;
        }
        if (reached == OrderStatus.NEW.ordinal()) {
            d.export = new ExportInfo(ExportState.PENDING, pharmacy.exportSystem(), 0, null, null);
        } else if (reached == OrderStatus.EXPORTED.ordinal()) {
            d.export = new ExportInfo(ExportState.SENT, pharmacy.exportSystem(), 1, exportedAt, null);
        } else {
            d.export = new ExportInfo(ExportState.ACKNOWLEDGED, pharmacy.exportSystem(), 1, exportedAt, null);
        }
        d.invoiceNumber = reached >= OrderStatus.CONFIRMED.ordinal() ? invoiceNumber(pharmacy, exportedAt) : null;
        d.courier = type == DeliveryType.PICKUP ? null : courier(type, reached >= OrderStatus.READY.ordinal());
        return d.build();
    }

    DeliveryType deliveryType() {
        int r = random.nextInt(100);
        return r < 60 ? DeliveryType.PICKUP : r < 80 ? DeliveryType.COURIER : r < 92 ? DeliveryType.EXPRESS : DeliveryType.POST;
    }

    /** One to four different products, mostly one of each. */
    List<OrderItem> items(Pharmacy pharmacy) {
        int lines = 1 + (random.nextInt(10) < 5 ? 0 : random.nextInt(10) < 6 ? 1 : 1 + random.nextInt(3));
        return items(pharmacy, lines);
    }

    List<OrderItem> items(Pharmacy pharmacy, int lines) {
        List<OrderItem> out = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        while (out.size() < lines) {
            DemoCatalog.Product p = DemoCatalog.PRODUCTS.get(random.nextInt(DemoCatalog.PRODUCTS.size()));
            if (taken.add(p.id())) {
                int r = random.nextInt(10);
                out.add(line(pharmacy, out.size() + 1, p, r < 7 ? 1 : r < 9 ? 2 : 3));
            }
        }
        return out;
    }

    OrderItem line(Pharmacy pharmacy, int lineNo, DemoCatalog.Product p, int quantity) {
        return new OrderItem(String.valueOf(lineNo), p.id(), p.name(), quantity, price(pharmacy, p), pharmacy.skuFor(p.id()), null);
    }

    /** The chain's price for a product: the reference price give or take a few per cent. */
    static BigDecimal price(Pharmacy pharmacy, DemoCatalog.Product p) {
        int percent = Math.floorMod((pharmacy.chain().id() + p.id()).hashCode(), 13) - 6;
        return p.price().multiply(BigDecimal.valueOf(100 + percent)).divide(BigDecimal.valueOf(100), 1, RoundingMode.HALF_UP)
                .setScale(2, RoundingMode.UNNECESSARY);
    }

    Customer customer() {
        boolean female = random.nextInt(10) < 6;
        String[] first = female ? DemoCatalog.FEMALE_NAMES[random.nextInt(DemoCatalog.FEMALE_NAMES.length)]
                : DemoCatalog.MALE_NAMES[random.nextInt(DemoCatalog.MALE_NAMES.length)];
        String[] surname = DemoCatalog.SURNAMES[random.nextInt(DemoCatalog.SURNAMES.length)];
        String name = random.nextInt(10) < 6 ? first[0] : first[0] + " " + (female ? surname[1] : surname[0]);
        String phone = "+79" + DemoStores.digits(random, 9);
        String email = null;
        if (random.nextInt(10) < 8) {
            String latinSurname = surname[2] + (female && !surname[2].endsWith("o") ? "a" : "");
            String local = switch (random.nextInt(3)) {
                case 0 -> first[1] + "." + latinSurname;
                case 1 -> first[1] + (80 + random.nextInt(20));
                default -> first[1].charAt(0) + latinSurname + (random.nextInt(100));
            };
            email = local + "@" + DemoCatalog.EMAIL_DOMAINS[random.nextInt(DemoCatalog.EMAIL_DOMAINS.length)];
        }
        return new Customer(name, phone, email);
    }

    /** "ЛО-2611-004417": region letters, year and month of issue, the pharmacy's running number. */
    String invoiceNumber(Pharmacy pharmacy, OffsetDateTime at) {
        return pharmacy.city().invoicePrefix() + "-" + INVOICE_MONTH.format(at) + "-" + DemoStores.digits(random, 6);
    }

    Courier courier(DeliveryType type, boolean withTracking) {
        String service = switch (type) {
            case POST -> DemoCatalog.POST_SERVICE;
            case EXPRESS -> DemoCatalog.EXPRESS_SERVICES[random.nextInt(DemoCatalog.EXPRESS_SERVICES.length)];
            default -> DemoCatalog.COURIER_SERVICES[random.nextInt(DemoCatalog.COURIER_SERVICES.length)];
        };
        return new Courier(service, withTracking ? trackingNumber(service) : null);
    }

    String trackingNumber(String service) {
        return switch (service) {
            case DemoCatalog.POST_SERVICE -> "80" + DemoStores.digits(random, 12);
            case "СДЭК" -> "1" + DemoStores.digits(random, 9);
            case "Яндекс Доставка" -> "YD-" + DemoStores.digits(random, 10);
            case "Сберлогистика" -> "SBL" + DemoStores.digits(random, 9);
            default -> DemoStores.digits(random, 8);
        };
    }

    /**
     * The promise made to the customer, in the pharmacy's own zone: courier tomorrow by the end of a
     * slot, express within about three hours, post within a week; none for pickup.
     */
    OffsetDateTime plannedDelivery(DeliveryType type, OffsetDateTime createdAt, ZoneId zone) {
        ZonedDateTime local = createdAt.atZoneSameInstant(zone);
        ZonedDateTime planned = switch (type) {
            case PICKUP -> null;
            case COURIER -> local.plusDays(1).truncatedTo(ChronoUnit.DAYS).withHour(new int[] {14, 18, 22}[random.nextInt(3)]);
            case EXPRESS -> {
                ZonedDateTime t = local.plusMinutes(150 + random.nextInt(40)).truncatedTo(ChronoUnit.HOURS);
                yield t.plusMinutes(30L * (1 + random.nextInt(2)));
            }
            case POST -> local.plusDays(5 + random.nextInt(5)).truncatedTo(ChronoUnit.DAYS).withHour(18);
        };
        return planned == null ? null : planned.toOffsetDateTime();
    }

    // ---- many orders, for load tests --------------------------------------------------------

    /**
     * {@code count} orders of the marketplace of this seed (its stores, its products), spread over the
     * 30 days before the clock's now and ordered by (updatedAt, id) as the admin API pages them. Older
     * orders are closed, recent ones in every status. Lazy: nothing is kept.
     */
    public static Stream<Order> synthetic(long seed, Clock clock, long count) {
        Random random = new Random(seed);
        OffsetDateTime now = OffsetDateTime.now(clock).atZoneSameInstant(ADMIN_ZONE).toOffsetDateTime().truncatedTo(ChronoUnit.SECONDS);
        List<Pharmacy> active = DemoStores.build(random, now).stream().filter(Pharmacy::isActive).toList();
        OrderGenerator generator = new OrderGenerator(random, 40_000_000L);
        OffsetDateTime from = now.minusDays(30);
        long windowMillis = Duration.ofDays(30).toMillis();
        OrderStatus[] open = {OrderStatus.NEW, OrderStatus.EXPORTED, OrderStatus.CONFIRMED, OrderStatus.ASSEMBLING,
                OrderStatus.READY, OrderStatus.IN_DELIVERY, OrderStatus.COMPLETED, OrderStatus.CANCELLED};
        return LongStream.range(0, count).mapToObj(i -> {
            OffsetDateTime updatedAt = from.plus(Duration.ofMillis(windowMillis * (i + 1) / count)).truncatedTo(ChronoUnit.SECONDS);
            Pharmacy pharmacy = active.get(random.nextInt(active.size()));
            DeliveryType type = generator.deliveryType();
            OrderStatus status;
            if (Duration.between(updatedAt, now).toDays() >= 2) {
                int r = random.nextInt(100);
                status = r < 86 ? OrderStatus.COMPLETED : r < 96 ? OrderStatus.CANCELLED : OrderStatus.REFUNDED;
            } else {
                status = open[random.nextInt(open.length)];
                if (status == OrderStatus.IN_DELIVERY && type == DeliveryType.PICKUP) {
                    status = OrderStatus.READY;
                }
            }
            return generator.atStatus(pharmacy, status, type, updatedAt.minusSeconds(random.nextInt(120)), updatedAt);
        });
    }

    /**
     * Writes {@code count} synthetic orders as one admin API page, {@code {"items":[...],"nextCursor":null}},
     * streaming: memory stays flat however many orders. The stream is flushed, not closed.
     */
    public static void writeOrdersPage(OutputStream out, long seed, Clock clock, long count) throws IOException {
        ObjectWriter writer = Json.mapper().writerFor(Order.class).without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartObject();
            g.writeArrayFieldStart("items");
            try (Stream<Order> orders = synthetic(seed, clock, count)) {
                for (Order o : (Iterable<Order>) orders::iterator) {
                    writer.writeValue(g, o);
                }
            }
            g.writeEndArray();
            g.writeNullField("nextCursor");
            g.writeEndObject();
        }
        out.flush();
    }
}
