package io.orderwatch.notify.email;

/**
 * Sending failed; {@link #transient_()} says whether trying again later can help, {@link #inDoubt()}
 * whether the server may have taken the message all the same (it timed out after the message went out).
 */
public class MailDeliveryException extends Exception {

    private final boolean retryable;
    private final boolean inDoubt;

    public MailDeliveryException(String message, boolean retryable, Throwable cause) {
        this(message, retryable, false, cause);
    }

    public MailDeliveryException(String message, boolean retryable, boolean inDoubt, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
        this.inDoubt = inDoubt;
    }

    public boolean transient_() {
        return retryable;
    }

    public boolean inDoubt() {
        return inDoubt;
    }
}
