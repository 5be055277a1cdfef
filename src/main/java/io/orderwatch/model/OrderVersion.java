package io.orderwatch.model;

import java.time.OffsetDateTime;

/**
 * An order as far as a fresh status read needs it: its id, its version ({@code updatedAt}) and its
 * status, bound from a page of orders with every other field skipped.
 */
public record OrderVersion(String id, OffsetDateTime updatedAt, OrderStatus status) {}
