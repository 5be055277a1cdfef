package io.orderwatch.model;

/** Pharmacy status in the admin system: ACTIVE, DISABLED (switched off for a while), DELETED (closed for good). */
public enum StoreStatus { ACTIVE, DISABLED, DELETED }
