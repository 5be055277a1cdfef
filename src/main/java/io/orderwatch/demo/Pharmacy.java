package io.orderwatch.demo;

import io.orderwatch.model.Store;
import io.orderwatch.model.StoreStatus;

/**
 * A simulated pharmacy: the {@link Store} the admin API serves, plus what only the simulation needs to
 * know about it (how orders reach it, how its catalogue codes and invoice numbers look).
 */
record Pharmacy(Store store, DemoCatalog.City city, DemoCatalog.Chain chain, String exportSystem) {

    String id() {
        return store.id();
    }

    boolean isActive() {
        return store.status() == StoreStatus.ACTIVE;
    }

    Pharmacy withStore(Store changed) {
        return new Pharmacy(changed, city, chain, exportSystem);
    }

    /** The pharmacy's own code for a product: stable per chain, e.g. "NVS-004412". */
    String skuFor(String productId) {
        int n = Math.floorMod((chain.id() + productId).hashCode(), 1_000_000);
        return chain.skuPrefix() + "-" + String.format("%06d", n);
    }
}
