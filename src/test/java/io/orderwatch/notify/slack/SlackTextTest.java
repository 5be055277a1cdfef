package io.orderwatch.notify.slack;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SlackTextTest {

    @Test
    void onlyTheThreeControlCharactersAreEscaped() {
        assertEquals("a &amp; b &lt;!channel&gt; &lt;@U123&gt; *bold* _it_", SlackText.escape("a & b <!channel> <@U123> *bold* _it_"));
    }

    @Test
    void dataCannotSmuggleMentionsLinksOrLineBreaks() {
        String v = SlackText.value("Аптека <!here>\r\n<https://evil.example|жмите>\u0000\t<script>alert(1)</script>");
        assertFalse(v.contains("<") || v.contains(">") || v.contains("\n") || v.contains("\r") || v.contains("\u0000"), v);
        assertTrue(v.startsWith("Аптека &lt;!here&gt; &lt;https://evil.example|жмите&gt;"), v);
    }

    @Test
    void markupFromDataCanNeitherOpenNorCloseASpanButIdsStayCopyable() {
        String v = SlackText.value("*bold* _it_ ~del~ `code` ```block```");
        assertFalse(v.matches(".*(^|[^\u200B])[*_~`]($|[^\u200B]).*"), "every marker is fenced by zero-width spaces: " + v);
        assertEquals("*bold* _it_ ~del~ `code` ```block```", v.replace("\u200B", ""), "nothing else changed");
        assertEquals("EXPORT_FAILED:48231192", SlackText.value("EXPORT_FAILED:48231192"), "a marker inside a word stays");
    }

    @Test
    void longValuesAreCut() {
        String v = SlackText.value("я".repeat(10_000), 300);
        assertEquals(300, v.length());
        assertTrue(v.endsWith("…"));
    }

    @Test
    void phonesAreMaskedAndNamesCutToTheFirstName() {
        assertEquals("+7 9** ***-**-69", SlackText.maskPhone("+79411942169"));
        assertEquals("+7 9** ***-**-69", SlackText.maskPhone("8 (941) 194-21-69"));
        assertEquals("*******89", SlackText.maskPhone("+123456789"));
        assertEquals("***", SlackText.maskPhone("12"));
        assertEquals("Екатерина", SlackText.firstName("Екатерина Решетникова"));
    }

    @Test
    void linksKeepTheirUrlSafeAndTheirTextEscaped() {
        assertEquals("<https://arm.example.org/orders/48231192|48231192>", SlackText.link("https://arm.example.org/orders/48231192", "48231192"));
        assertEquals("<https://arm/x%7Cy%3E|a &lt;b&gt;>", SlackText.link("https://arm/x|y>", "a <b>"));
        assertEquals("a%2Fb%20c", SlackText.pathSegment("a/b c"));
    }

    @Test
    void cuttingNeverLeavesHalfAnEscapeOrAHalfLink() {
        String s = "abc &amp; <https://x|y>";
        assertEquals("abc …", SlackText.cutMarkdown(s, 7));
        assertEquals("abc &amp; …", SlackText.cutMarkdown(s, 14));
    }
}
