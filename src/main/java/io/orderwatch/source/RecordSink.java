package io.orderwatch.source;

/** Where parsed records go, one at a time, as they are read. */
public interface RecordSink<T> {

    void accept(T record);

    void reject(RejectedRecord rejected);

    /**
     * A page was read to its end, or broke off (then it is read again): whatever the sink holds of it
     * is to be kept now. Called once per fetched page before the next one is asked for.
     */
    default void endOfPage() {
    }
}
