package io.orderwatch.notify.email;

/** Sending failed; {@link #transient_()} says whether trying again later can help. */
public class MailDeliveryException extends Exception {

    private final boolean retryable;

    public MailDeliveryException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean transient_() {
        return retryable;
    }
}
