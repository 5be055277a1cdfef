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

    private IsoTimes() {}

    public static OffsetDateTime parse(String s) {
        OffsetDateTime fast = fast(s);
        return fast != null ? fast : OffsetDateTime.parse(s);
    }

    private static OffsetDateTime fast(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || (s.charAt(10) != 'T' && s.charAt(10) != 't')
                || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        int i = 19;
        int nano = 0;
        if (i < n && s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && Character.isDigit(s.charAt(i))) {
                i++;
            }
            int len = i - start;
            if (len == 0 || len > 9) {
                return null;
            }
            nano = digits(s, start, len);
            for (int k = len; k < 9; k++) {
                nano *= 10;
            }
        }
        if (i >= n) {
            return null;
        }
        ZoneOffset offset;
        char c = s.charAt(i);
        if ((c == 'Z' || c == 'z') && i == n - 1) {
            offset = ZoneOffset.UTC;
        } else if ((c == '+' || c == '-') && n - i == 6 && s.charAt(i + 3) == ':') {
            int oh = digits(s, i + 1, 2);
            int om = digits(s, i + 4, 2);
            if ((oh | om) < 0) {
                return null;
            }
            try {
                offset = ZoneOffset.ofHoursMinutes(c == '-' ? -oh : oh, c == '-' ? -om : om);
            } catch (DateTimeException e) {
                return null;
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

    private static int digits(String s, int from, int len) {
        int v = 0;
        for (int k = from; k < from + len; k++) {
            char ch = s.charAt(k);
            if (ch < '0' || ch > '9') {
                return -1;
            }
            v = v * 10 + (ch - '0');
        }
        return v;
    }

    /** The Jackson side: a string token becomes a time; an unparseable one is a clear format error. */
    static final class Deserializer extends JsonDeserializer<OffsetDateTime> {
        @Override
        public OffsetDateTime deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                return (OffsetDateTime) ctx.handleUnexpectedToken(OffsetDateTime.class, p);
            }
            String text = p.getText().trim();
            try {
                return parse(text);
            } catch (DateTimeParseException e) {
                return (OffsetDateTime) ctx.handleWeirdStringValue(OffsetDateTime.class, text, "not an ISO-8601 time with an offset");
            }
        }
    }
}
