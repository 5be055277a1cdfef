package io.orderwatch.demo;

import java.util.List;

/** One page of an admin API listing; {@code next} is where the following page starts, null on the last page. */
public record Page<T>(List<T> items, PageKey next) {

    public Page {
        items = List.copyOf(items);
    }

    public String nextCursor() {
        return next == null ? null : next.toCursor();
    }
}
