package io.orderwatch.model;

/** The courier service carrying a courier order. */
public record Courier(String service, String trackingNumber) {}
