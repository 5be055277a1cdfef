package io.orderwatch.source;

/** Where parsed records go, one at a time, as they are read. */
public interface RecordSink<T> {

    void accept(T record);

    void reject(RejectedRecord rejected);
}
