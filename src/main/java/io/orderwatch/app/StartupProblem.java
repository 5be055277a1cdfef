package io.orderwatch.app;

/** Start-up cannot go on; the message is one line that names the setting to fix. */
public final class StartupProblem extends RuntimeException {
    public StartupProblem(String message) {
        super(message, null, false, false);
    }

    public StartupProblem(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
