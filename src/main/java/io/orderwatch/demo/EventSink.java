package io.orderwatch.demo;

/**
 * Where the simulated marketplace sends its event feed (order-events.md): one event as UTF-8 JSON per
 * call. {@link DemoWorld} calls {@link #send} while it changes and must not be held up, so a sink that
 * talks to the network only queues in {@code send} and delivers in {@link #flush}, which the
 * simulator's ticker calls outside the world's lock.
 */
@FunctionalInterface
public interface EventSink {

    /** Drops every event: the world runs, nobody listens. */
    EventSink NONE = eventJson -> { };

    void send(String eventJson);

    /** Delivers what {@link #send} queued; a sink that delivers at once has nothing to do. */
    default void flush() {
    }
}
