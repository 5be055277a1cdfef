package io.orderwatch.alert;

/**
 * The kinds of alert orderwatch raises (orderwatch-api.md). A kind is an open string so that an
 * integrator's route can add its own; these are the built-in ones.
 */
public final class AlertKind {
    public static final String STUCK_ORDER = "STUCK_ORDER";
    public static final String COMPOSITION_CHANGED = "COMPOSITION_CHANGED";
    public static final String DELETED_STORE_ORDER = "DELETED_STORE_ORDER";
    public static final String EXPORT_FAILED = "EXPORT_FAILED";
    public static final String ITEM_LINK_ERROR = "ITEM_LINK_ERROR";
    public static final String CITY_REQUEST = "CITY_REQUEST";
    public static final String SOURCE_DOWN = "SOURCE_DOWN";
    /** A sink could not deliver to a target for good (details: sink, target, error). */
    public static final String DELIVERY_FAILED = "DELIVERY_FAILED";

    private AlertKind() {}
}
