package io.orderwatch.model;

import java.time.OffsetDateTime;

/** A partner pharmacy as the reference admin API serves it (admin-api.md). */
public record Store(
        String id,
        String name,
        String chainId,
        String chainName,
        String address,
        String city,
        String region,
        String timezone,
        OpeningHours openingHours,
        String phone,
        Double lat,
        Double lon,
        StoreStatus status,
        OffsetDateTime statusChangedAt,
        OffsetDateTime updatedAt) {

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isDeleted() {
        return status == StoreStatus.DELETED;
    }
}
