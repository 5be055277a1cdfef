package io.orderwatch.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.orderwatch.model.Json;
import io.orderwatch.notify.slack.SlackStub;
import io.orderwatch.notify.tickets.HelpdeskStub;
import io.orderwatch.testing.AdminStub;
import jakarta.mail.Address;
import jakarta.mail.Header;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole application in a hostile world: every field of a pharmacy, an order and an event that a sink
 * shows carries mrkdwn, HTML/script, Slack mentions and links, CRLF shaped as a header injection, and
 * 10,000 characters. What Slack, the SMTP server and the helpdesk received is checked: no live mention or
 * link, {@code &<>} escaped, markup inert, Slack's limits held; e-mail headers single-line with no
 * smuggled recipient, the HTML part escaped, no line forged in the text part; tickets one line per value
 * and every value cut.
 */
class HostileWorldTest {

    /** What an attacker puts in a field; the tail makes it 10,000 characters and more. */
    static final String EVIL_HEAD = "*bold* _x_ ~x~ `code` ```block``` <http://evil.example|click> <script>alert(1)</script> <!channel> <@U123>"
            + " x\r\nBcc: evil@example.org\r\n\r\nЗаказ 999 — подделка";
    static final String EVIL = EVIL_HEAD + " " + "Щ".repeat(10_000);
    /** A region may be at most 200 characters (longer is quarantined): as much of the attack as fits. */
    static final String EVIL_REGION = EVIL_HEAD.substring(0, Math.min(200, EVIL_HEAD.length()));
    /** The same, short enough for a field with a length limit (a city query is at most 200). */
    static final String EVIL_SHORT = "*b* <!channel> <@U123> <script>x</script>\r\nBcc: evil@example.org";

    @TempDir
    Path data;

    private AdminStub admin;
    private SlackStub slack;
    private HelpdeskStub helpdesk;
    private GreenMail smtp;
    private Orderwatch orderwatch;
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        TestApp.stop(orderwatch, admin, slack, helpdesk, smtp == null ? null : smtp::stop);
    }

    private static ObjectNode store(OffsetDateTime at) {
        ObjectNode s = Json.mapper().createObjectNode();
        s.put("id", "st-evil").put("name", EVIL).put("chainId", "ch-evil").put("chainName", EVIL).put("address", EVIL).put("city", EVIL)
                .put("region", EVIL_REGION).put("timezone", "Europe/Moscow").put("openingHours", "24/7").put("phone", EVIL)
                .put("lat", 55.7).put("lon", 37.6).put("status", "ACTIVE").put("statusChangedAt", "2025-03-01T10:00:00+03:00")
                .put("updatedAt", at.toString());
        return s;
    }

    private static ObjectNode order(OffsetDateTime at, int quantity) {
        ObjectNode o = Json.mapper().createObjectNode();
        OffsetDateTime planned = at.minusHours(3);
        o.put("id", "48240001").put("invoiceNumber", EVIL).put("source", EVIL).put("createdAt", planned.minusDays(1).toString())
                .put("updatedAt", at.toString()).put("status", "IN_DELIVERY").put("statusChangedAt", planned.minusHours(2).toString())
                .put("deliveryType", "COURIER").put("plannedDeliveryAt", planned.toString()).put("storeId", "st-evil")
                .put("region", EVIL_REGION).put("city", EVIL).put("amount", 1874.5);
        o.putObject("customer").put("name", EVIL).put("phone", "+79806561461").put("email", EVIL);
        ArrayNode items = o.putArray("items");
        items.addObject().put("lineId", "1").put("productId", EVIL.substring(0, 60)).put("name", EVIL).put("quantity", quantity).put("price", 1874.5)
                .putNull("storeSku").put("linkError", EVIL);
        ObjectNode export = o.putObject("export");
        export.put("state", "FAILED").put("system", EVIL).put("attempts", 3).put("lastAttemptAt", planned.minusDays(1).toString());
        export.putObject("error").put("code", EVIL).put("message", EVIL);
        o.putObject("courier").put("service", EVIL).put("trackingNumber", EVIL);
        return o;
    }

    @Test
    void whatTheSinksSendIsEscapedOneLineAndCutWhateverTheDataSays() throws Exception {
        admin = new AdminStub();
        slack = new SlackStub();
        helpdesk = new HelpdeskStub("hd-secret");
        int smtpPort = TestPorts.free();
        smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        OffsetDateTime t0 = OffsetDateTime.now().minusMinutes(30);
        admin.storeJson("st-evil", t0, store(t0).toString());
        admin.orderJson("48240001", t0, order(t0, 1).toString());

        Properties p = TestApp.configuredOverrides(data, admin.baseUrl());
        p.setProperty("orderwatch.slack.token", "xoxb-test-token");
        p.setProperty("orderwatch.slack.api-url", slack.url());
        p.setProperty("orderwatch.helpdesk.kind", "reference");
        p.setProperty("orderwatch.helpdesk.url", helpdesk.url());
        p.setProperty("orderwatch.helpdesk.token", "hd-secret");
        p.setProperty("orderwatch.tickets.escalate-ms", "1000");
        p.setProperty("orderwatch.smtp.host", "127.0.0.1");
        p.setProperty("orderwatch.smtp.port", String.valueOf(smtpPort));
        p.setProperty("orderwatch.digest.to", "digest@example.org");
        p.setProperty("orderwatch.team-mail.to", "team@example.org");
        p.setProperty("orderwatch.digest.cron", "0/3 * * * * ?");
        p.setProperty("orderwatch.city-digest.cron", "0/3 * * * * ?");
        p.setProperty("orderwatch.team-mail.composition-window", "1s");
        p.setProperty("orderwatch.delivery.retry-initial", "1s");
        orderwatch = Orderwatch.create(Path.of("."), Map.of(), p);
        orderwatch.start();

        await().atMost(Duration.ofSeconds(30)).until(() -> slack.messages().size() >= 2);
        OffsetDateTime t1 = OffsetDateTime.now();
        admin.orderJson("48240001", t1, order(t1, 3).toString()); // the composition changes: a team e-mail
        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + orderwatch.settings().httpPort()
                        + "/api/v1/events")).header("Authorization", "Bearer api-secret").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(cityEvent().toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, posted.statusCode(), posted.body());

        var db = orderwatch.wiring().database();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> helpdesk.tickets().size() == 2 && subjects().stream().anyMatch(s -> s.startsWith("Зависшие"))
                    && subjects().stream().anyMatch(s -> s.contains("остав")) && subjects().stream().anyMatch(s -> s.contains("город")));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("tickets " + helpdesk.calls().size() + ", mails " + subjects().stream().map(HostileWorldTest::cut).toList() + ", alerts "
                    + db.read(c -> {
                        List<String> out = new ArrayList<>();
                        try (var rs = c.createStatement().executeQuery("SELECT fingerprint, state FROM alert")) {
                            while (rs.next()) {
                                out.add(cut(rs.getString(1)) + " " + rs.getString(2));
                            }
                        }
                        try (var rs = c.createStatement().executeQuery("SELECT sink, operation, state, last_error FROM delivery")) {
                            while (rs.next()) {
                                out.add(rs.getString(1) + "/" + rs.getString(2) + "/" + rs.getString(3) + "/" + cut(String.valueOf(rs.getString(4))));
                            }
                        }
                        return out;
                    }), e);
        }

        // Slack: what the stub got, every call
        List<SlackStub.Call> calls = slack.calls();
        assertTrue(calls.size() >= 2, "export failure and item link posted: " + calls.size());
        for (SlackStub.Call c : calls) {
            String text = c.params().get("text");
            String blocks = c.params().get("blocks");
            assertSafeForSlack(text, c.method() + " text");
            assertTrue(text.length() <= 3000, "fallback text within 3000: " + text.length());
            JsonNode b = Json.mapper().readTree(blocks);
            assertTrue(b.size() <= 50, "at most 50 blocks");
            for (JsonNode block : b) {
                if (block.path("type").asText().equals("header")) {
                    assertTrue(block.path("text").path("text").asText().length() <= 150, "header within 150");
                }
                if (block.has("text")) {
                    String t = block.path("text").path("text").asText();
                    assertTrue(t.length() <= 3000, "section within 3000: " + t.length());
                    assertSafeForSlack(t, "block text");
                }
                for (JsonNode f : block.path("fields")) {
                    assertTrue(f.path("text").asText().length() <= 2000, "field within 2000");
                    assertSafeForSlack(f.path("text").asText(), "field");
                }
                for (JsonNode e : block.path("elements")) {
                    assertSafeForSlack(e.path("text").asText(), "context");
                }
            }
        }
        assertTrue(calls.stream().filter(c -> c.params().get("blocks").contains("&lt;script&gt;alert(1)&lt;/script&gt;")).count() >= 2,
                "the export failure and the item link show the data, escaped");

        // e-mail: the raw messages as the SMTP server received them
        MimeMessage[] mails = smtp.getReceivedMessages();
        assertTrue(mails.length >= 3, "digest, composition change, cities: " + subjects());
        for (MimeMessage m : mails) {
            String raw = GreenMailUtil.getWholeMessage(m);
            String head = raw.substring(0, raw.indexOf("\r\n\r\n"));
            String unfolded = head.replaceAll("\r\n[ \t]", " ");
            for (String line : unfolded.split("\r\n")) {
                assertTrue(line.matches("^[A-Za-z0-9-]+: .*"), "every header line is a header of ours: " + cut(line));
                assertFalse(line.regionMatches(true, 0, "Bcc", 0, 3), "no smuggled recipient: " + cut(line));
            }
            for (Header h : Collections.list(m.getAllHeaders())) {
                assertFalse(h.getValue().contains("evil@example.org"), "no address from data in " + h.getName());
            }
            List<String> recipients = Arrays.stream(m.getAllRecipients()).map(Address::toString).toList();
            assertTrue(List.of(List.of("digest@example.org"), List.of("team@example.org")).contains(recipients), String.valueOf(recipients));
            assertFalse(m.getSubject().contains("\n") || m.getSubject().contains("\r"), "one-line subject");
            assertTrue(m.getSubject().length() < 2 * io.orderwatch.notify.TemplateValues.MAX_VALUE, "subject cut: " + m.getSubject().length());
            Multipart parts = (Multipart) m.getContent();
            String text = (String) parts.getBodyPart(0).getContent();
            String html = (String) parts.getBodyPart(1).getContent();
            assertFalse(html.contains("<script>") || html.contains("<http://evil"), "HTML escaped: " + m.getSubject());
            assertTrue(html.contains("&lt;script&gt;"), "and shown: " + m.getSubject());
            for (String line : text.split("\r?\n")) {
                assertFalse(line.startsWith("Bcc:") || line.startsWith("Заказ 999"), "no line forged in the text part: " + cut(line));
            }
            assertFalse(text.contains("Щ".repeat(io.orderwatch.notify.TemplateValues.MAX_VALUE)) || html.contains("Щ".repeat(io.orderwatch.notify.TemplateValues.MAX_VALUE)),
                    "10,000 characters are cut");
        }

        // tickets (the late courier order, the failed export): the request bodies the helpdesk got
        assertEquals(2, helpdesk.tickets().stream().map(t -> t.path("externalId").asText()).distinct().count(), "one ticket per alert");
        for (JsonNode ticket : helpdesk.tickets()) {
            String subject = ticket.path("subject").asText();
            String body = ticket.path("body").asText();
            assertFalse(subject.contains("\n") || subject.contains("\r"), "one-line ticket subject");
            assertFalse(subject.contains("Щ".repeat(io.orderwatch.notify.TemplateValues.MAX_VALUE)), "ticket subject values cut");
            assertFalse(body.contains("\r") || body.contains("Щ".repeat(io.orderwatch.notify.TemplateValues.MAX_VALUE)), "ticket body values one line and cut");
            for (String line : body.split("\n")) {
                assertFalse(line.startsWith("Bcc:") || line.startsWith("Заказ 999"), "no line forged in the ticket: " + cut(line));
            }
            assertTrue(body.contains("<script>alert(1)</script>"), "plain text to a JSON API: shown as it is, for a person to read");
        }
    }

    private static ObjectNode cityEvent() {
        ObjectNode e = Json.mapper().createObjectNode();
        e.put("eventId", "e-evil-1").put("type", "CITY_NOT_FOUND").put("occurredAt", OffsetDateTime.now().toString());
        ObjectNode d = e.putObject("data");
        d.put("query", EVIL_SHORT).put("platform", "ios");
        d.putObject("contact").put("email", EVIL_SHORT).put("phone", EVIL_SHORT);
        return e;
    }

    private List<String> subjects() {
        List<String> out = new ArrayList<>();
        for (MimeMessage m : smtp.getReceivedMessages()) {
            try {
                out.add(m.getSubject());
            } catch (jakarta.mail.MessagingException e) {
                out.add("?");
            }
        }
        return out;
    }

    private static void assertSafeForSlack(String s, String where) {
        if (s == null) {
            return;
        }
        for (String live : List.of("<!channel>", "<@U123>", "<http://evil", "<script>", "*bold*", "_x_", "~x~", "`code`")) {
            assertFalse(s.contains(live), where + ": " + live + " is live in " + cut(s));
        }
        assertFalse(s.contains("\nBcc:") || s.contains("\rBcc:"), where + ": a line break from data");
        assertFalse(s.contains("Щ".repeat(1000)), where + ": 10,000 characters are cut");
    }

    static String cut(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
