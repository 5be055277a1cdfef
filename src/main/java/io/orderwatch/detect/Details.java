package io.orderwatch.detect;

import java.util.Map;

/**
 * A finding's details as detectors build them: a value that is null is left out, not written as null.
 * Builds the immutable map a {@link io.orderwatch.alert.Finding} keeps in one step (no map to copy).
 */
final class Details {

    private Map.Entry<String, Object>[] entries;
    private int size;

    Details() {
        this(8);
    }

    /** @param expected how many entries the detector may put: no growing on the way */
    @SuppressWarnings("unchecked")
    Details(int expected) {
        entries = new Map.Entry[expected];
    }

    Details put(String key, Object value) {
        if (value != null) {
            if (size == entries.length) {
                entries = java.util.Arrays.copyOf(entries, size * 2);
            }
            entries[size++] = Map.entry(key, value);
        }
        return this;
    }

    /** @throws IllegalArgumentException when a key was put twice */
    Map<String, Object> map() {
        return Map.ofEntries(size == entries.length ? entries : java.util.Arrays.copyOf(entries, size));
    }
}
