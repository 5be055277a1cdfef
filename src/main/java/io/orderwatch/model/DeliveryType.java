package io.orderwatch.model;

/** How the order reaches the customer (admin-api.md). */
public enum DeliveryType {
    PICKUP, COURIER, EXPRESS, POST;

    /** Courier, express and post orders carry a promised delivery time; pickup orders do not. */
    public boolean hasPlannedDelivery() {
        return this != PICKUP;
    }
}
