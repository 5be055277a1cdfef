package io.orderwatch.alert;

/** FIRING while the condition holds, RESOLVED once it has cleared. */
public enum AlertState { FIRING, RESOLVED }
