package io.orderwatch.observe;

/**
 * Text that goes into a log line. Strings that come with the data (event types, ids, reasons that quote
 * a value, exception messages about a record) are escaped, so that one log call stays one line and a
 * crafted value cannot forge a log entry of its own.
 */
public final class LogText {

    private LogText() {}

    /**
     * The text on one line: line breaks, tabs and every other control character (also U+2028 and U+2029,
     * which some viewers break on) written as Java escapes, a backslash doubled so that an escape in the
     * data cannot pass for one of ours. {@code null} stays {@code "null"}.
     */
    public static String escape(String text) {
        if (text == null) {
            return "null";
        }
        int i = 0;
        int n = text.length();
        while (i < n && !needsEscape(text.charAt(i))) {
            i++;
        }
        if (i == n) {
            return text;
        }
        StringBuilder b = new StringBuilder(n + 16).append(text, 0, i);
        for (; i < n; i++) {
            char ch = text.charAt(i);
            if (!needsEscape(ch)) {
                b.append(ch);
                continue;
            }
            switch (ch) {
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> b.append(String.format("\\u%04x", (int) ch));
            }
        }
        return b.toString();
    }

    private static final java.util.regex.Pattern USER_INFO_PASSWORD = java.util.regex.Pattern.compile("(//[^/\\s:@?#]*):[^@\\s/?#]*@");
    private static final java.util.regex.Pattern SECRET_PARAMETER = java.util.regex.Pattern.compile(
            "(?i)([?&;](?:password|passwd|pwd|pass|token|access_token|accesstoken|auth|authorization|secret|client_secret"
                    + "|key|apikey|api_key|api-key|sig|signature)=)[^&;\\s\"']*");

    /**
     * A URL, or a message that contains URLs (a broker, database or webhook URL), with what can carry a
     * password or token replaced by {@code ***}: the password of {@code scheme://user:password@host}, and
     * the value of a query or JDBC parameter named like a secret ({@code ?password=}, {@code &token=},
     * {@code ;PASSWORD=}, {@code ?key=}, {@code ?sig=}, ...). Everything else stays readable.
     */
    public static String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = USER_INFO_PASSWORD.matcher(text).replaceAll("$1:***@");
        return SECRET_PARAMETER.matcher(masked).replaceAll("$1***");
    }

    private static boolean needsEscape(char ch) {
        return ch == '\\' || Character.isISOControl(ch) || ch == '\u2028' || ch == '\u2029';
    }
}
