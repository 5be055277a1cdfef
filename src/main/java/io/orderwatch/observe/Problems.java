package io.orderwatch.observe;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;

/**
 * The one place that turns a throwable into the one line a log, a health check or a start-up
 * problem shows: never null, never more than one line, no stack trace.
 */
public final class Problems {

    private Problems() {}

    /**
     * The throwable's own message, or, when it has none or only wraps another (reflection), the first
     * cause that says something; its class name when nothing does. First line only.
     */
    public static String oneLine(Throwable e) {
        if (e == null) {
            return "";
        }
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t
                && (t.getMessage() == null || t instanceof InvocationTargetException || t instanceof UndeclaredThrowableException)) {
            t = t.getCause();
        }
        return describe(t);
    }

    /** The innermost cause's message (what the driver or the socket said), or its class name. First line only. */
    public static String rootLine(Throwable e) {
        if (e == null) {
            return "";
        }
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return describe(t);
    }

    /** The first line of a text; empty for null. */
    public static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : firstLine(m);
    }
}
