package io.orderwatch.notify.slack;

/**
 * Text from data, made safe for Slack's mrkdwn: {@code &}, {@code <} and {@code >} escaped (so no
 * {@code <!channel>}, {@code <@U…>} or link can be smuggled in), markup characters made inert, control
 * characters and line breaks turned into spaces, long values cut; phones masked and names cut to the
 * first name.
 */
public final class SlackText {

    /** At most this many characters of any one value from data. */
    static final int MAX_VALUE = 300;

    private SlackText() {}

    /** One line of data, escaped and cut to {@code max} characters (before escaping). */
    public static String value(Object raw, int max) {
        if (raw == null) {
            return "";
        }
        String s = oneLine(raw.toString());
        if (s.length() > max) {
            s = s.substring(0, Math.max(0, max - 1)) + "…";
        }
        return inert(escape(s));
    }

    /** Zero-width space: put on both sides of a markup character, it can neither open nor close a span. */
    private static final char ZWSP = '\u200B';

    /**
     * mrkdwn markup from data made inert: Slack has no escape for {@code * _ ~ `}, so a marker that could
     * open or close bold, italics, strike-through or code (one at a word's edge) gets a zero-width space on
     * both sides; whether Slack takes that space for a letter or for a blank, the marker is then no span's
     * edge. Markers inside a word ({@code EXPORT_FAILED:48231192}, {@code 2*3}) stay as they are, so ids
     * can still be copied.
     */
    static String inert(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            boolean marker = ch == '*' || ch == '_' || ch == '~' || ch == '`';
            if (marker && !(i > 0 && Character.isLetterOrDigit(s.charAt(i - 1)) && i + 1 < s.length() && Character.isLetterOrDigit(s.charAt(i + 1)))) {
                if (b == null) {
                    b = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                b.append(ZWSP).append(ch).append(ZWSP);
            } else if (b != null) {
                b.append(ch);
            }
        }
        return b == null ? s : b.toString();
    }

    public static String value(Object raw) {
        return value(raw, MAX_VALUE);
    }

    /** Slack's three control characters. */
    public static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }

    /** Control characters (CR, LF, tabs, others) become single spaces. */
    static String oneLine(String s) {
        StringBuilder b = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (Character.isISOControl(ch) || ch == '\u2028' || ch == '\u2029') {
                if (!space) {
                    b.append(' ');
                }
                space = true;
            } else {
                b.append(ch);
                space = false;
            }
        }
        return b.toString().trim();
    }

    /** A link whose text comes from data: {@code <url|text>}, the URL kept to safe characters. */
    public static String link(String url, Object text) {
        String label = value(text, 120);
        if (url == null || url.isEmpty()) {
            return label;
        }
        StringBuilder safe = new StringBuilder();
        for (char ch : url.toCharArray()) {
            if (ch > 32 && ch < 127 && ch != '<' && ch != '>' && ch != '|' && ch != '"') {
                safe.append(ch);
            } else {
                safe.append('%').append(String.format("%02X", (int) ch & 0xFF));
            }
        }
        return "<" + safe + "|" + (label.isEmpty() ? "?" : label) + ">";
    }

    /** A URL path segment from data (an order or pharmacy id). */
    public static String pathSegment(String id) {
        return java.net.URLEncoder.encode(id == null ? "" : id, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * "+7 9** ***-**-69": the country code, the first digit of the number and its last two digits; the
     * rest masked. Anything too short to mask keeps nothing but its last two digits.
     */
    public static String maskPhone(String phone) {
        if (phone == null) {
            return null;
        }
        String digits = phone.replaceAll("\\D", "");
        if (digits.length() < 4) {
            return "***";
        }
        if (digits.length() == 11 && (digits.charAt(0) == '7' || digits.charAt(0) == '8')) {
            return "+7 " + digits.charAt(1) + "** ***-**-" + digits.substring(9);
        }
        return "*".repeat(digits.length() - 2) + digits.substring(digits.length() - 2);
    }

    /** The first name only: nothing more of a customer reaches a channel. */
    public static String firstName(String name) {
        if (name == null) {
            return null;
        }
        String s = oneLine(name);
        int space = s.indexOf(' ');
        return space < 0 ? s : s.substring(0, space);
    }

    /** Cuts mrkdwn to a limit without leaving half an escape or half a link behind. */
    static String cutMarkdown(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int end = max - 1;
        int open = s.lastIndexOf('<', end);
        if (open >= 0 && s.indexOf('>', open) >= end) {
            end = open;
        }
        int amp = s.lastIndexOf('&', end);
        if (amp >= 0 && s.indexOf(';', amp) >= end) {
            end = amp;
        }
        return s.substring(0, end) + "…";
    }
}
