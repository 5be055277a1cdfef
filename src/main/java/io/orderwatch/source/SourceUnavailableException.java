package io.orderwatch.source;

/** The admin API could not be read after every retry (5xx, timeouts, refused connections, broken pages). */
public class SourceUnavailableException extends RuntimeException {
    public SourceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
