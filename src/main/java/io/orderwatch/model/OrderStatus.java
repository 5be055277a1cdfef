package io.orderwatch.model;

/** Order status in the admin system (admin-api.md). */
public enum OrderStatus {
    NEW, EXPORTED, CONFIRMED, ASSEMBLING, READY, IN_DELIVERY, COMPLETED, CANCELLED, REFUNDED;

    /** COMPLETED, CANCELLED and REFUNDED end an order's life: nothing about it can be stuck any more. */
    public boolean isFinal() {
        return this == COMPLETED || this == CANCELLED || this == REFUNDED;
    }
}
