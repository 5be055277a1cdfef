package io.orderwatch.demo;

import io.orderwatch.model.OpeningHours;
import io.orderwatch.model.Store;
import io.orderwatch.model.StoreStatus;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Builds the ~40 pharmacies of the simulated marketplace from Kaliningrad to Vladivostok. Which store
 * is 24/7, closed on Sundays, switched off or closed for good is fixed by its position, so that every
 * seed has all of them; addresses, phones and dates come from the seed.
 */
final class DemoStores {

    /** Closed for good this morning; open orders are still routed to it. */
    static final int DELETED_TODAY = 12;
    /** Closed for good months ago; nothing refers to it any more. */
    static final int DELETED_LONG_AGO = 26;
    static final Set<Integer> DISABLED = Set.of(20, 38);
    /** Franchise stores that take orders by e-mail instead of their chain's system. */
    static final Set<Integer> FRANCHISE = Set.of(29, 32);
    static final int PAST_MIDNIGHT = 36;

    private DemoStores() {}

    static List<Pharmacy> build(Random random, OffsetDateTime now) {
        List<Pharmacy> out = new ArrayList<>();
        Map<DemoCatalog.City, Integer> perCity = new HashMap<>();
        int nextId = 10_400;
        for (DemoCatalog.Chain chain : DemoCatalog.CHAINS) {
            for (Map.Entry<DemoCatalog.City, Integer> e : chain.storesPerCity().entrySet()) {
                DemoCatalog.City city = e.getKey();
                for (int i = 0; i < e.getValue(); i++) {
                    int index = out.size();
                    nextId += 1 + random.nextInt(17);
                    int seen = perCity.merge(city, 1, Integer::sum) - 1;
                    String street = city.streets().get(seen % city.streets().size());
                    String house = (3 + random.nextInt(140)) + (random.nextInt(6) == 0 ? "к" + (1 + random.nextInt(3)) : "");
                    Store store = store(random, now, index, "st-" + nextId, chain, city, street, house);
                    String system = FRANCHISE.contains(index) ? DemoCatalog.FRANCHISE_EXPORT_SYSTEM : chain.exportSystem();
                    out.add(new Pharmacy(store, city, chain, system));
                }
            }
        }
        return out;
    }

    private static Store store(Random random, OffsetDateTime now, int index, String id, DemoCatalog.Chain chain,
                               DemoCatalog.City city, String street, String house) {
        OffsetDateTime onboarded = now.minusDays(100 + random.nextInt(600)).withHour(10).withMinute(0).withSecond(0);
        OffsetDateTime edited = onboarded.plusDays(1 + random.nextInt(90));
        StoreStatus status = StoreStatus.ACTIVE;
        OffsetDateTime statusChangedAt = onboarded;
        if (index == DELETED_TODAY) {
            status = StoreStatus.DELETED;
            statusChangedAt = now.minusHours(3).minusMinutes(random.nextInt(40));
        } else if (index == DELETED_LONG_AGO) {
            status = StoreStatus.DELETED;
            statusChangedAt = now.minusDays(120 + random.nextInt(30));
        } else if (DISABLED.contains(index)) {
            status = StoreStatus.DISABLED;
            statusChangedAt = now.minusDays(2 + random.nextInt(4)).minusMinutes(random.nextInt(600));
        }
        OffsetDateTime updatedAt = statusChangedAt.isAfter(edited) ? statusChangedAt : edited;
        if (updatedAt.isAfter(now)) {
            updatedAt = now.minusDays(1);
        }
        String phoneDigits = digits(random, 10 - city.phonePrefix().length());
        double lat = Math.round((city.lat() + (random.nextDouble() - 0.5) * 0.06) * 10_000) / 10_000.0;
        double lon = Math.round((city.lon() + (random.nextDouble() - 0.5) * 0.10) * 10_000) / 10_000.0;
        String address = (city.addressRegion() == null ? "" : city.addressRegion() + ", ") + city.name() + ", " + street + ", " + house;
        return new Store(id, chain.name() + ", " + city.name() + ", " + street + " " + house, chain.id(), chain.name(),
                address, city.name(), city.region(), city.zone(), hours(random, index),
                "+7" + city.phonePrefix() + phoneDigits, lat, lon, status, statusChangedAt, updatedAt);
    }

    private static OpeningHours hours(Random random, int index) {
        if (index % 10 == 3) {
            return OpeningHours.alwaysOpen();
        }
        if (index == PAST_MIDNIGHT) {
            return every("07:00-01:00", "07:00-01:00", "07:00-01:00");
        }
        if (index % 10 == 5 || index % 10 == 8) {
            return random.nextBoolean() ? every("08:00-20:00", "09:00-18:00", null) : every("09:00-21:00", "10:00-19:00", null);
        }
        return switch (random.nextInt(4)) {
            case 0 -> every("08:00-23:00", "08:00-23:00", "08:00-23:00");
            case 1 -> every("07:30-21:30", "09:00-21:00", "09:00-21:00");
            case 2 -> every("09:00-21:00", "10:00-20:00", "10:00-18:00");
            default -> every("08:00-22:00", "09:00-21:00", "10:00-20:00");
        };
    }

    private static OpeningHours every(String weekdays, String saturday, String sunday) {
        Map<String, String> h = new LinkedHashMap<>();
        for (String d : new String[] {"mon", "tue", "wed", "thu", "fri"}) {
            h.put(d, weekdays);
        }
        h.put("sat", saturday);
        h.put("sun", sunday);
        return OpeningHours.weekly(h);
    }

    static String digits(Random random, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append((char) ('0' + random.nextInt(10)));
        }
        return sb.toString();
    }
}
