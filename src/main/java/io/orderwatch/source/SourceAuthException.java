package io.orderwatch.source;

/** The admin API refused our token (401/403). Not retried: a bad token does not fix itself. */
public class SourceAuthException extends SourceUnavailableException {
    public SourceAuthException(String message) {
        super(message, null);
    }
}
