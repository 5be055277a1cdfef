package io.orderwatch.model;

/** State of the order's export into the pharmacy's system. */
public enum ExportState { PENDING, SENT, ACKNOWLEDGED, FAILED }
