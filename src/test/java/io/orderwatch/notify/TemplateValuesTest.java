package io.orderwatch.notify;

import com.github.mustachejava.Mustache;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A value from data in a mail or ticket template: one line, cut, and in HTML escaped. */
class TemplateValuesTest {

    private static final String EVIL = "<script>alert(1)</script> x\r\nBcc: evil@example.org\u2028Заказ 999\t" + "Щ".repeat(10_000);

    private static String render(com.github.mustachejava.DefaultMustacheFactory f, String template) {
        Mustache m = f.compile(new StringReader(template), "t");
        StringWriter w = new StringWriter();
        m.execute(w, Map.of("v", EVIL));
        return w.toString();
    }

    @Test
    void plainTemplatesWriteEachValueOnOneLineAndCut() {
        String out = render(TemplateValues.plain(new File(".")), "Имя: {{v}}\nдальше");
        assertEquals(2, out.split("\n").length, "a line break from data forges no line: " + out.substring(0, 80));
        assertTrue(out.startsWith("Имя: <script>alert(1)</script> x Bcc: evil@example.org Заказ 999 Щ"), out.substring(0, 80));
        assertEquals("Имя: ".length() + TemplateValues.MAX_VALUE + "\nдальше".length(), out.length());
        assertTrue(out.contains("Щ…\nдальше"), "the cut is marked");
    }

    @Test
    void htmlTemplatesAlsoEscape() {
        String out = render(TemplateValues.html(new File(".")), "<td>{{v}}</td>");
        assertFalse(out.contains("<script>") || out.contains("\r") || out.contains("\n"), out.substring(0, 80));
        assertTrue(out.startsWith("<td>&lt;script&gt;alert(1)&lt;/script&gt; x Bcc: evil@example.org Заказ 999 Щ"), out.substring(0, 80));
        assertTrue(out.length() < TemplateValues.MAX_VALUE + 100, "cut: " + out.length());
    }
}
