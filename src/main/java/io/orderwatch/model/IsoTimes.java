package io.orderwatch.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * ISO-8601 times with an offset, read fast: {@code 2026-11-22T09:15:00+03:00}, {@code ...Z}, with or
 * without fractions of a second, are parsed by hand (every order carries several; DateTimeFormatter is
 * the slowest part of reading a page); anything else goes to {@link OffsetDateTime#parse}, which also
 * produces the error for what is not a time.
 */
public final class IsoTimes {

    /** -18:00 .. +18:00 by the hour, looked up instead of built for every time read. */
    private static final ZoneOffset[] WHOLE_HOURS = new ZoneOffset[37];

    static {
        for (int h = -18; h <= 18; h++) {
            WHOLE_HOURS[h + 18] = ZoneOffset.ofHours(h);
        }
    }

    private IsoTimes() {}

    public static OffsetDateTime parse(String s) {
        OffsetDateTime fast = fast(s.toCharArray(), 0, s.length());
        return fast != null ? fast : OffsetDateTime.parse(s);
    }

    /** The common forms, read in place; null for anything else (the full parser then decides). */
    private static OffsetDateTime fast(char[] c, int from, int length) {
        int n = length;
        int o = from;
        if (n < 20 || c[o + 4] != '-' || c[o + 7] != '-' || (c[o + 10] != 'T' && c[o + 10] != 't')
                || c[o + 13] != ':' || c[o + 16] != ':') {
            return null;
        }
        int year = digits(c, o, 4);
        int month = digits(c, o + 5, 2);
        int day = digits(c, o + 8, 2);
        int hour = digits(c, o + 11, 2);
        int minute = digits(c, o + 14, 2);
        int second = digits(c, o + 17, 2);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        int i = 19;
        int nano = 0;
        if (i < n && c[o + i] == '.') {
            int start = ++i;
            while (i < n && c[o + i] >= '0' && c[o + i] <= '9') {
                i++;
            }
            int len = i - start;
            if (len == 0 || len > 9) {
                return null;
            }
            nano = digits(c, o + start, len);
            for (int k = len; k < 9; k++) {
                nano *= 10;
            }
        }
        if (i >= n) {
            return null;
        }
        ZoneOffset offset;
        char sign = c[o + i];
        if ((sign == 'Z' || sign == 'z') && i == n - 1) {
            offset = ZoneOffset.UTC;
        } else if ((sign == '+' || sign == '-') && n - i == 6 && c[o + i + 3] == ':') {
            int oh = digits(c, o + i + 1, 2);
            int om = digits(c, o + i + 4, 2);
            if ((oh | om) < 0) {
                return null;
            }
            if (om == 0 && oh <= 18) {
                offset = WHOLE_HOURS[sign == '-' ? 18 - oh : 18 + oh];
            } else {
                try {
                    offset = ZoneOffset.ofHoursMinutes(sign == '-' ? -oh : oh, sign == '-' ? -om : om);
                } catch (DateTimeException e) {
                    return null;
                }
            }
        } else {
            return null;
        }
        try {
            return OffsetDateTime.of(year, month, day, hour, minute, second, nano, offset);
        } catch (DateTimeException e) {
            return null; // let the full parser produce the message
        }
    }

    private static int digits(char[] c, int from, int len) {
        int v = 0;
        for (int k = from; k < from + len; k++) {
            char ch = c[k];
            if (ch < '0' || ch > '9') {
                return -1;
            }
            v = v * 10 + (ch - '0');
        }
        return v;
    }

    /** A string token as a time; anything else, or a string that is not a time, is a clear format error. */
    static OffsetDateTime read(JsonParser p, DeserializationContext ctx) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            return (OffsetDateTime) ctx.handleUnexpectedToken(OffsetDateTime.class, p);
        }
        char[] c = p.getTextCharacters();
        int from = p.getTextOffset();
        int end = from + p.getTextLength();
        while (from < end && c[from] <= ' ') {
            from++;
        }
        while (end > from && c[end - 1] <= ' ') {
            end--;
        }
        OffsetDateTime fast = fast(c, from, end - from);
        if (fast != null) {
            return fast;
        }
        String text = p.getText().trim();
        try {
            return OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
            return (OffsetDateTime) ctx.handleWeirdStringValue(OffsetDateTime.class, text, "not an ISO-8601 time with an offset");
        }
    }

    /** The Jackson side, for every OffsetDateTime orderwatch reads. */
    static final class Deserializer extends JsonDeserializer<OffsetDateTime> {
        @Override
        public OffsetDateTime deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            return read(p, ctx);
        }
    }
}
