package io.orderwatch.detect;

import io.orderwatch.alert.Finding;
import io.orderwatch.model.Order;
import io.orderwatch.model.Store;

import java.time.Instant;
import java.util.List;

/**
 * Looks at one order (and its pharmacy, when known) and says which problems hold for it now. A detector
 * is a plain function of its inputs: it knows nothing of Camel, the database or where alerts go. What it
 * does not report for an order that it owns a kind for is taken as cleared.
 */
public interface OrderDetector {

    /** The alert kind this detector decides for every order it sees. */
    String kind();

    /**
     * @param order    the latest version of the order
     * @param store    the order's pharmacy, or null when orderwatch has not seen it yet
     * @param previous the version of the order seen before this one, or null
     * @param now      the evaluation instant
     */
    List<Finding> evaluate(Order order, Store store, Order previous, Instant now);

    /**
     * True (the default) when a condition that is no longer found has cleared. False for kinds that
     * report something that happened (a composition change): those resolve when the order is final.
     */
    default boolean resolvesWhenAbsent() {
        return true;
    }

    /** True when the outcome can change with the passage of time alone, so open orders are re-evaluated. */
    default boolean timeDependent() {
        return false;
    }
}
