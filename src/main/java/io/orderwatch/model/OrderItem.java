package io.orderwatch.model;

import java.math.BigDecimal;

/**
 * One order line. {@code storeSku} is null when the product is not linked to the pharmacy's catalogue;
 * {@code linkError} says why (open-ended: NO_STORE_SKU, SKU_NOT_IN_STOCK_FEED, PRICE_MISMATCH, ...).
 */
public record OrderItem(String lineId, String productId, String name, int quantity, BigDecimal price,
                        String storeSku, String linkError) {

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isUnlinked() {
        return linkError != null || storeSku == null || storeSku.isBlank();
    }
}
