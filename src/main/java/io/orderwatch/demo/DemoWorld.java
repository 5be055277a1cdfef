package io.orderwatch.demo;

import io.orderwatch.model.Courier;
import io.orderwatch.model.Customer;
import io.orderwatch.model.DeliveryType;
import io.orderwatch.model.ExportError;
import io.orderwatch.model.ExportInfo;
import io.orderwatch.model.ExportState;
import io.orderwatch.model.Json;
import io.orderwatch.model.OpeningHours;
import io.orderwatch.model.Order;
import io.orderwatch.model.OrderItem;
import io.orderwatch.model.OrderStatus;
import io.orderwatch.model.Store;
import io.orderwatch.model.StoreStatus;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A simulated marketplace day, keyed to the wall clock: six pharmacy chains with forty pharmacies from
 * Kaliningrad to Vladivostok, a few hundred orders moving through their statuses, and from the first
 * minute at least one of every problem the support team is told about. Deterministic for a seed.
 */
public final class DemoWorld {

    record City(String name, String region, String zone, double lat, double lon, String[] streets) {}

    record Chain(String id, String name, String exportSystem, List<City> cities) {}

    private static final City GATCHINA = new City("Гатчина", "Ленинградская область", "Europe/Moscow", 59.565, 30.128, new String[] {"ул. Соборная", "пр. 25 Октября", "ул. Чехова"});
    private static final City SPB = new City("Санкт-Петербург", "Санкт-Петербург", "Europe/Moscow", 59.939, 30.315, new String[] {"Невский пр.", "ул. Савушкина", "Лиговский пр.", "ул. Типанова"});
    private static final City MOSCOW = new City("Москва", "Москва", "Europe/Moscow", 55.755, 37.617, new String[] {"ул. Тверская", "Ленинский пр.", "ул. Профсоюзная", "Варшавское ш."});
    private static final City KALININGRAD = new City("Калининград", "Калининградская область", "Europe/Kaliningrad", 54.710, 20.452, new String[] {"Ленинский пр.", "ул. Черняховского"});
    private static final City SAMARA = new City("Самара", "Самарская область", "Europe/Samara", 53.195, 50.100, new String[] {"ул. Куйбышева", "Московское ш."});
    private static final City EKB = new City("Екатеринбург", "Свердловская область", "Asia/Yekaterinburg", 56.838, 60.597, new String[] {"ул. Малышева", "пр. Ленина", "ул. 8 Марта"});
    private static final City NSK = new City("Новосибирск", "Новосибирская область", "Asia/Novosibirsk", 55.008, 82.935, new String[] {"Красный пр.", "ул. Ленина"});
    private static final City KRSK = new City("Красноярск", "Красноярский край", "Asia/Krasnoyarsk", 56.010, 92.852, new String[] {"пр. Мира", "ул. Карла Маркса"});
    private static final City IRKUTSK = new City("Иркутск", "Иркутская область", "Asia/Irkutsk", 52.287, 104.305, new String[] {"ул. Карла Маркса", "ул. Ленина"});
    private static final City VVO = new City("Владивосток", "Приморский край", "Asia/Vladivostok", 43.115, 131.885, new String[] {"Океанский пр.", "ул. Светланская", "ул. Алеутская"});

    private static final List<Chain> CHAINS = List.of(
            new Chain("ch-nevis", "Невис", "SBIS", List.of(GATCHINA, SPB)),
            new Chain("ch-zdorovye", "Аптека Здоровье", "KONTUR_DIADOC", List.of(MOSCOW, SPB)),
            new Chain("ch-farmaplus", "Фармаплюс", "EPHARMA", List.of(SAMARA, EKB)),
            new Chain("ch-vita", "Вита Экспресс", "API", List.of(NSK, KRSK)),
            new Chain("ch-dalfarm", "Дальфарм", "FTP", List.of(IRKUTSK, VVO)),
            new Chain("ch-baltfarma", "Балтфарма", "EMAIL", List.of(KALININGRAD)));

    private static final String[][] PRODUCTS = {
            {"p-99812", "Нурофен Экспресс капс. 200 мг №16", "412.00"},
            {"p-12007", "Аквалор Беби спрей 150 мл", "731.25"},
            {"p-30411", "Терафлю пор. д/р-ра №10", "689.00"},
            {"p-55120", "Називин спрей наз. 0,05% 10 мл", "298.50"},
            {"p-77301", "Арбидол капс. 100 мг №20", "754.00"},
            {"p-20544", "Витамин D3 Аквадетрим капли 10 мл", "265.00"},
            {"p-81090", "Мирамистин р-р 0,01% 150 мл", "512.40"},
            {"p-44018", "Омепразол капс. 20 мг №30", "118.70"},
            {"p-63377", "Лоратадин табл. 10 мг №10", "96.30"},
            {"p-90112", "Эргоферон табл. д/рассас. №20", "483.00"},
            {"p-15006", "Бепантен крем 5% 30 г", "634.90"},
            {"p-38809", "Смекта пор. 3 г №10", "241.00"}};
    private static final String[] FIRST_NAMES = {"Анна", "Мария", "Елена", "Ольга", "Ирина", "Дмитрий", "Сергей", "Алексей", "Наталья", "Татьяна", "Андрей", "Екатерина"};
    private static final String[] LINK_ERRORS = {"NO_STORE_SKU", "SKU_NOT_IN_STOCK_FEED", "PRICE_MISMATCH"};

    private final Random random;
    private final Clock clock;
    private final Map<String, Store> stores = new LinkedHashMap<>();
    private final Map<String, Order> orders = new LinkedHashMap<>();
    private final List<String> pendingEvents = new ArrayList<>();
    private long nextOrderId = 48_231_100;
    private int ticks;
    private Consumer<String> eventSink = e -> { };

    public DemoWorld(long seed, Clock clock) {
        this.random = new Random(seed);
        this.clock = clock;
        buildStores();
        buildOrders(260);
        plantProblems();
    }

    /** Where events go (orderwatch's intake, in a later stage); by default they are only counted. */
    public synchronized void onEvent(Consumer<String> sink) {
        this.eventSink = sink;
    }

    public synchronized List<Store> stores() {
        return List.copyOf(stores.values());
    }

    public synchronized List<Order> orders() {
        return List.copyOf(orders.values());
    }

    public synchronized int ticks() {
        return ticks;
    }

    /** Advances the day: orders move on, new ones arrive, and the planned problems happen on time. */
    public synchronized void tick() {
        ticks++;
        OffsetDateTime now = now();
        List<Order> open = orders.values().stream().filter(o -> !o.isFinal() && !isPlanted(o)).toList();
        for (Order o : open) {
            if (random.nextInt(100) < 6) {
                put(advance(o, now));
            }
        }
        for (int i = 0; i < 1 + random.nextInt(3); i++) {
            Order fresh = newOrder(randomActiveStore(), OrderStatus.NEW, now.minusSeconds(random.nextInt(60)), now);
            put(fresh);
        }
        if (ticks == 2) {
            compositionChange(now);
        }
        if (ticks == 3) {
            cityRequests(now);
        }
        if (ticks == 5) {
            chainExportOutage(now);
        }
        if (ticks == 15) {
            chainExportRecovers(now);
        }
        if (ticks % 20 == 0) {
            cityRequests(now);
        }
        flushEvents();
    }

    // ---- the world ------------------------------------------------------------------------

    private void buildStores() {
        int n = 0;
        for (Chain chain : CHAINS) {
            int perCity = chain.cities().size() == 1 ? 4 : 3 + (chain.id().length() % 3);
            for (City city : chain.cities()) {
                for (int i = 0; i < perCity; i++) {
                    n++;
                    String street = city.streets()[i % city.streets().length];
                    int house = 3 + random.nextInt(120);
                    String id = "st-" + (10400 + n);
                    OpeningHours hours = n % 9 == 0 ? OpeningHours.alwaysOpen() : weekly(n % 4 == 0);
                    StoreStatus status = n == 7 ? StoreStatus.DELETED : n == 13 || n == 29 ? StoreStatus.DISABLED : StoreStatus.ACTIVE;
                    OffsetDateTime changed = now().minusDays(30 + random.nextInt(300));
                    stores.put(id, new Store(id, chain.name() + ", " + city.name() + ", " + street + " " + house,
                            chain.id(), chain.name(), (city.region().equals(city.name()) ? "" : city.region() + ", ") + city.name() + ", " + street + ", " + house, // Москва, not Москва, Москва
                            city.name(), city.region(), city.zone(), hours, "+7" + (900 + random.nextInt(99)) + (1000000 + random.nextInt(8999999)),
                            round(city.lat() + (random.nextDouble() - 0.5) / 20), round(city.lon() + (random.nextDouble() - 0.5) / 20),
                            status, changed, status == StoreStatus.DELETED ? now().minusMinutes(40) : changed));
                }
            }
        }
    }

    private OpeningHours weekly(boolean closedSunday) {
        Map<String, String> h = new LinkedHashMap<>();
        for (String d : new String[] {"mon", "tue", "wed", "thu", "fri"}) {
            h.put(d, "08:00-22:00");
        }
        h.put("sat", "09:00-21:00");
        h.put("sun", closedSunday ? null : "10:00-20:00");
        return OpeningHours.weekly(h);
    }

    private void buildOrders(int count) {
        OffsetDateTime now = now();
        OrderStatus[] flow = {OrderStatus.NEW, OrderStatus.EXPORTED, OrderStatus.CONFIRMED, OrderStatus.ASSEMBLING,
                OrderStatus.READY, OrderStatus.COMPLETED, OrderStatus.COMPLETED, OrderStatus.CANCELLED};
        for (int i = 0; i < count; i++) {
            OrderStatus status = flow[random.nextInt(flow.length)];
            // fresh enough to be within every limit: minutes in the current status
            OffsetDateTime changed = now.minusMinutes(1 + random.nextInt(15));
            put(newOrder(randomActiveStore(), status, changed, changed));
        }
    }

    /** The problems a newcomer must see in the first minute. */
    private void plantProblems() {
        OffsetDateTime now = now();
        Store open24 = stores.values().stream().filter(s -> s.openingHours().isAlwaysOpen() && s.status() == StoreStatus.ACTIVE).findFirst().orElseThrow();
        // stuck: exported 5 hours ago at a pharmacy that is always open
        put(planted(newOrder(open24, OrderStatus.EXPORTED, now.minusHours(5), now.minusHours(5))));
        // stuck: assembling for two days
        put(planted(newOrder(randomActiveStore(), OrderStatus.ASSEMBLING, now.minusDays(2), now.minusDays(2))));
        // stuck: not sent to the pharmacy for an hour and a half
        put(planted(newOrder(randomActiveStore(), OrderStatus.NEW, now.minusMinutes(95), now.minusMinutes(95))));
        // stuck: ready for pickup for four days
        Order ready = newOrder(randomActiveStore(), OrderStatus.READY, now.minusDays(4), now.minusDays(4));
        put(planted(withDelivery(ready, DeliveryType.PICKUP, null)));
        // stuck: courier order past its promised time
        Order courier = newOrder(randomActiveStore(), OrderStatus.IN_DELIVERY, now.minusHours(2), now.minusHours(2));
        put(planted(withDelivery(courier, DeliveryType.COURIER, now.minusHours(3))));
        Order express = newOrder(open24, OrderStatus.CONFIRMED, now.minusMinutes(20), now.minusMinutes(20));
        put(planted(withDelivery(express, DeliveryType.EXPRESS, now.minusMinutes(90))));
        // orders routed to the deleted pharmacy
        Store deleted = stores.values().stream().filter(Store::isDeleted).findFirst().orElseThrow();
        for (int i = 0; i < 3; i++) {
            put(planted(newOrder(deleted, OrderStatus.CONFIRMED, now.minusMinutes(30 + i), now.minusMinutes(30 + i))));
        }
        // ...and one there for 35 minutes that has no invoice yet: its ticket cannot be opened (TICKET_INCOMPLETE)
        put(planted(newOrder(deleted, OrderStatus.NEW, now.minusMinutes(35), now.minusMinutes(35))));
        // export failures
        for (int i = 0; i < 3; i++) {
            Order o = newOrder(randomActiveStore(), OrderStatus.NEW, now.minusMinutes(10 + i), now.minusMinutes(10 + i));
            put(planted(failExport(o, "TIMEOUT", "нет ответа от системы аптеки за 30 с", now.minusMinutes(5 + i))));
        }
        // lines without a link to the pharmacy's catalogue
        for (int i = 0; i < 3; i++) {
            Order o = newOrder(randomActiveStore(), OrderStatus.EXPORTED, now.minusMinutes(8), now.minusMinutes(8));
            put(planted(unlink(o, LINK_ERRORS[i])));
        }
    }

    private final java.util.Set<String> planted = new java.util.HashSet<>();

    private Order planted(Order o) {
        planted.add(o.id());
        return o;
    }

    private boolean isPlanted(Order o) {
        return planted.contains(o.id());
    }

    private void compositionChange(OffsetDateTime now) {
        Order target = orders.values().stream().filter(o -> o.status() == OrderStatus.ASSEMBLING && o.items().size() >= 2 && !isPlanted(o))
                .findFirst().orElseGet(() -> orders.values().stream().filter(o -> !o.isFinal() && o.items().size() >= 2).findFirst().orElseThrow());
        List<OrderItem> before = target.items();
        List<OrderItem> after = new ArrayList<>(before.subList(1, before.size()));
        OrderItem first = after.get(0);
        after.set(0, new OrderItem(first.lineId(), first.productId(), first.name(), first.quantity() + 1, first.price(), first.storeSku(), null));
        Order changed = copy(target, target.status(), target.statusChangedAt(), now, after, target.export());
        planted(changed);
        put(changed);
        event("ORDER_ITEMS_CHANGED", changed.id(), Map.of("before", before, "after", after, "changedBy", "pharmacy"), now);
    }

    private void chainExportOutage(OffsetDateTime now) {
        Chain chain = CHAINS.get(0);
        for (Order o : List.copyOf(orders.values())) {
            Store s = stores.get(o.storeId());
            if (!o.isFinal() && s != null && s.chainId().equals(chain.id()) && (o.status() == OrderStatus.NEW || o.status() == OrderStatus.EXPORTED)) {
                Order failed = planted(failExport(o, "TIMEOUT", "нет ответа от СБИС за 30 с", now));
                outage.add(o.id());
                put(copy(failed, failed.status(), failed.statusChangedAt(), now, failed.items(), failed.export()));
                event("EXPORT_FAILED", o.id(), Map.of("storeId", o.storeId(), "system", chain.exportSystem(), "attempt", 3,
                        "error", Map.of("code", "TIMEOUT", "message", "нет ответа от СБИС за 30 с")), now);
            }
        }
    }

    /** The chain's export system is back for most of the orders the outage caught: they reach the pharmacy after all. */
    private void chainExportRecovers(OffsetDateTime now) {
        int i = 0;
        for (String id : outage) {
            Order o = orders.get(id);
            if (o != null && !o.isFinal() && i++ % 3 != 2) {
                planted.remove(id);
                put(copy(o, OrderStatus.CONFIRMED, now, now, o.items(),
                        new ExportInfo(ExportState.ACKNOWLEDGED, o.export() == null ? "SBIS" : o.export().system(), 4, now, null)));
            }
        }
    }

    private final List<String> outage = new ArrayList<>();

    private void cityRequests(OffsetDateTime now) {
        String[][] requests = {{"Верхняя Пышма", "ios"}, {"верхняя  пышма", "android"}, {"Верхняя-Пышма", "site"}, {"Берёзовский", "ios"}, {"Березовский", "site"}};
        for (String[] r : requests) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("query", r[0]);
            data.put("platform", r[1]);
            data.put("contact", random.nextBoolean() ? Map.of("email", "client" + random.nextInt(1000) + "@example.org") : null);
            event("CITY_NOT_FOUND", null, data, now);
        }
    }

    // ---- orders ---------------------------------------------------------------------------

    private Order newOrder(Store store, OrderStatus status, OffsetDateTime statusChangedAt, OffsetDateTime updatedAt) {
        String id = String.valueOf(nextOrderId++);
        DeliveryType type = DeliveryType.values()[random.nextInt(10) < 6 ? 0 : 1 + random.nextInt(3)];
        int lines = 1 + random.nextInt(4);
        List<OrderItem> items = new ArrayList<>();
        BigDecimal amount = BigDecimal.ZERO;
        for (int l = 1; l <= lines; l++) {
            String[] p = PRODUCTS[random.nextInt(PRODUCTS.length)];
            int qty = 1 + random.nextInt(2);
            BigDecimal price = new BigDecimal(p[2]);
            amount = amount.add(price.multiply(BigDecimal.valueOf(qty)));
            items.add(new OrderItem(String.valueOf(l), p[0], p[1], qty, price, "SKU-" + p[0].substring(2), null));
        }
        OffsetDateTime created = statusChangedAt.minusMinutes(status == OrderStatus.NEW ? 0 : 5 + random.nextInt(60));
        ZoneId zone = ZoneId.of(store.timezone());
        OffsetDateTime planned = type.hasPlannedDelivery() ? plannedDelivery(type, created, zone) : null;
        String name = FIRST_NAMES[random.nextInt(FIRST_NAMES.length)];
        Customer customer = new Customer(name, "+79" + (100000000 + random.nextInt(899999999)), "client" + id.substring(4) + "@example.org");
        Courier courier = type == DeliveryType.PICKUP ? null
                : new Courier(type == DeliveryType.POST ? "Почта России" : type == DeliveryType.EXPRESS ? "Яндекс Доставка" : "Сберлогистика",
                "TRK" + id);
        ExportInfo export = status == OrderStatus.NEW ? new ExportInfo(ExportState.PENDING, exportSystem(store), 0, null, null)
                : new ExportInfo(ExportState.ACKNOWLEDGED, exportSystem(store), 1, created.plusMinutes(1), null);
        String invoice = status.ordinal() >= OrderStatus.CONFIRMED.ordinal()
                ? "ЛО-" + String.format("%02d%02d", created.getDayOfMonth(), created.getMonthValue()) + "-" + String.format("%06d", random.nextInt(999999))
                : null;
        String[] sources = {"site", "app", "app", "yandex_market"};
        return new Order(id, invoice, sources[random.nextInt(sources.length)], created, updatedAt, status, statusChangedAt,
                type, planned, store.id(), store.region(), store.city(), customer, amount.setScale(2, RoundingMode.HALF_UP),
                items, export, courier);
    }

    private String exportSystem(Store store) {
        return CHAINS.stream().filter(c -> c.id().equals(store.chainId())).findFirst().map(Chain::exportSystem).orElse("API");
    }

    private Order advance(Order o, OffsetDateTime now) {
        OrderStatus next = switch (o.status()) {
            case NEW -> OrderStatus.EXPORTED;
            case EXPORTED -> OrderStatus.CONFIRMED;
            case CONFIRMED -> OrderStatus.ASSEMBLING;
            case ASSEMBLING -> OrderStatus.READY;
            case READY -> o.deliveryType() == DeliveryType.PICKUP ? OrderStatus.COMPLETED : OrderStatus.IN_DELIVERY;
            case IN_DELIVERY -> OrderStatus.COMPLETED;
            default -> o.status();
        };
        if (random.nextInt(50) == 0) {
            next = OrderStatus.CANCELLED;
        }
        ExportInfo export = next == OrderStatus.EXPORTED ? new ExportInfo(ExportState.SENT, exportSystem(stores.get(o.storeId())), 1, now, null)
                : next == OrderStatus.CONFIRMED ? new ExportInfo(ExportState.ACKNOWLEDGED, o.export() == null ? "API" : o.export().system(), 1, now, null)
                : o.export();
        return copy(o, next, now, now, o.items(), export);
    }

    private Order failExport(Order o, String code, String message, OffsetDateTime at) {
        return copy(o, o.status(), o.statusChangedAt(), at, o.items(),
                new ExportInfo(ExportState.FAILED, exportSystem(stores.get(o.storeId())), 3, at, new ExportError(code, message)));
    }

    private Order unlink(Order o, String error) {
        List<OrderItem> items = new ArrayList<>(o.items());
        OrderItem last = items.get(items.size() - 1);
        items.set(items.size() - 1, new OrderItem(last.lineId(), last.productId(), last.name(), last.quantity(), last.price(),
                "NO_STORE_SKU".equals(error) ? null : last.storeSku(), error));
        return copy(o, o.status(), o.statusChangedAt(), o.updatedAt(), items, o.export());
    }

    private static Order withDelivery(Order o, DeliveryType type, OffsetDateTime planned) {
        return new Order(o.id(), o.invoiceNumber(), o.source(), o.createdAt(), o.updatedAt(), o.status(), o.statusChangedAt(),
                type, planned, o.storeId(), o.region(), o.city(), o.customer(), o.amount(), o.items(), o.export(),
                type == DeliveryType.PICKUP ? null : new Courier(type == DeliveryType.EXPRESS ? "Яндекс Доставка" : "Сберлогистика", "TRK" + o.id()));
    }

    private static Order copy(Order o, OrderStatus status, OffsetDateTime statusChangedAt, OffsetDateTime updatedAt,
                              List<OrderItem> items, ExportInfo export) {
        return new Order(o.id(), o.invoiceNumber(), o.source(), o.createdAt(), updatedAt, status, statusChangedAt,
                o.deliveryType(), o.plannedDeliveryAt(), o.storeId(), o.region(), o.city(), o.customer(), o.amount(),
                items, export, o.courier());
    }

    private Store randomActiveStore() {
        List<Store> active = stores.values().stream().filter(s -> s.status() == StoreStatus.ACTIVE).toList();
        return active.get(random.nextInt(active.size()));
    }

    private void put(Order o) {
        orders.put(o.id(), o);
    }

    private void event(String type, String orderId, Map<String, Object> data, OffsetDateTime at) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("eventId", new UUID(random.nextLong(), random.nextLong()).toString());
        e.put("type", type);
        e.put("occurredAt", at.toString());
        if (orderId != null) {
            e.put("orderId", orderId);
        }
        e.put("data", data);
        try {
            pendingEvents.add(Json.mapper().writeValueAsString(e));
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private void flushEvents() {
        for (String e : pendingEvents) {
            eventSink.accept(e);
        }
        pendingEvents.clear();
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withNano(0).atZoneSameInstant(ZoneId.of("Europe/Moscow")).toOffsetDateTime();
    }

    private static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }

    static Duration age(OffsetDateTime t, Clock clock) {
        return Duration.between(t.toInstant(), clock.instant());
    }

    /**
     * When a fresh order is promised: a courier by 18:00 the next day, the post in a week, express by 23:00 the
     * same day, or at least three hours after the order (rounded up to the hour) when it came in the evening; an
     * express order placed at 23:10 must not be promised for 23:00, or it would be stuck the moment it exists.
     */
    static OffsetDateTime plannedDelivery(DeliveryType type, OffsetDateTime created, ZoneId zone) {
        java.time.ZonedDateTime local = created.atZoneSameInstant(zone);
        if (type == DeliveryType.EXPRESS) {
            java.time.ZonedDateTime tonight = local.withHour(23).withMinute(0).withSecond(0).withNano(0);
            java.time.ZonedDateTime earliest = local.plusHours(4).truncatedTo(java.time.temporal.ChronoUnit.HOURS);
            return (tonight.isBefore(earliest) ? earliest : tonight).toOffsetDateTime();
        }
        return local.plusDays(type == DeliveryType.POST ? 7 : 1).withHour(18).withMinute(0).withSecond(0).withNano(0).toOffsetDateTime();
    }
}
