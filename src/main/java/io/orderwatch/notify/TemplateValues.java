package io.orderwatch.notify;

import com.github.mustachejava.DefaultMustacheFactory;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * How a value from data goes into an e-mail or ticket template: on one line (line breaks, tabs and
 * other control characters become a space, so a name cannot forge a line of a digest or a ticket, nor
 * a header) and cut to {@link #MAX_VALUE} characters; in HTML also escaped. Templates write every
 * value through this, so no template can forget it.
 */
public final class TemplateValues {

    /** At most this many characters of one value from data in a mail or a ticket. */
    public static final int MAX_VALUE = 1000;

    private TemplateValues() {}

    /** Templates of plain text: subjects, text parts, tickets. */
    public static DefaultMustacheFactory plain(File dir) {
        return new DefaultMustacheFactory(dir) {
            @Override
            public void encode(String value, Writer writer) {
                try {
                    writer.write(oneLine(value));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    /** Templates of HTML: the value on one line, cut, then HTML-escaped (Mustache's own escaper). */
    public static DefaultMustacheFactory html(File dir) {
        return new DefaultMustacheFactory(dir) {
            @Override
            public void encode(String value, Writer writer) {
                super.encode(oneLine(value), writer);
            }
        };
    }

    /** One line, at most {@link #MAX_VALUE} characters ("…" marks a cut). */
    public static String oneLine(String value) {
        if (value == null) {
            return "";
        }
        String s = value.replaceAll("[\\p{Cntrl}\\u2028\\u2029]+", " ");
        return s.length() <= MAX_VALUE ? s : s.substring(0, MAX_VALUE - 1) + "…";
    }
}
