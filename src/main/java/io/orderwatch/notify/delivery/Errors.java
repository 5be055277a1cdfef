package io.orderwatch.notify.delivery;

/** A throwable as one line, for the ledger's last error and the log. */
final class Errors {

    private Errors() {}

    static String oneLine(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t && t.getMessage() == null) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + t.getMessage();
        return m.lines().findFirst().orElse(m);
    }
}
