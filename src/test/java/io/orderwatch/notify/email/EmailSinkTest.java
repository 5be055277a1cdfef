package io.orderwatch.notify.email;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.orderwatch.alert.Alert;
import io.orderwatch.alert.AlertBook;
import io.orderwatch.alert.AlertEvent;
import io.orderwatch.alert.AlertState;
import io.orderwatch.alert.MuteCheck;
import io.orderwatch.app.TestApp;
import io.orderwatch.app.TestPorts;
import io.orderwatch.model.Json;
import io.orderwatch.model.Order;
import io.orderwatch.notify.delivery.DeliveryDispatcher;
import io.orderwatch.notify.delivery.DeliveryFailedAlarm;
import io.orderwatch.notify.delivery.RetryPolicy;
import io.orderwatch.observe.Metrics;
import io.orderwatch.store.AlertStore;
import io.orderwatch.store.Database;
import io.orderwatch.store.DeliveryLedger;
import io.orderwatch.store.OrderSnapshots;
import io.orderwatch.store.SinkAlerts;
import io.orderwatch.store.StoreDirectory;
import io.orderwatch.store.TestDatabases;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The e-mail sink with the delivery core on a real database, over real SMTP (GreenMail): each kind of
 * e-mail decoded from its MIME parts; SMTP down at the due time, then back; a composition change seen
 * twice; ops alerts and their resolution in one thread.
 */
class EmailSinkTest {

    private static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");
    /** Monday 23.11.2026 10:00 in Moscow: on shift, not the first hour of it. */
    private static final Instant MONDAY_10 = Instant.parse("2026-11-23T07:00:00Z");

    private final TestClock clock = new TestClock(MONDAY_10);
    private Database db;
    private GreenMail smtp;
    private int port;
    private DeliveryDispatcher dispatcher;
    private EmailSink sink;
    private final Map<String, Long> versions = new HashMap<>();

    private void start(String kind, boolean smtpUp) {
        db = TestDatabases.open(kind);
        port = TestPorts.free();
        smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        if (smtpUp) {
            smtp.start();
        }
        AlertBook book = new AlertBook(db, new AlertStore(db.dialect()), MuteCheck.NONE, clock);
        DeliveryLedger ledger = new DeliveryLedger();
        dispatcher = new DeliveryDispatcher(db, ledger, new RetryPolicy(Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofHours(24)),
                Duration.ofSeconds(5), new DeliveryFailedAlarm(book, clock), Metrics.inMemory(), clock);
        MailTemplates templates = new MailTemplates(Path.of("config/templates/email"));
        EmailSink.Settings settings = new EmailSink.Settings("orderwatch@example.org", List.of("digest@example.org"),
                List.of("team@example.org"), ShiftScheduleTest.seed(), true, Duration.ofMinutes(2), Duration.ZERO, 2);
        MailSettings mail = new MailSettings("127.0.0.1", port, "", "", MailSettings.Security.NONE, "orderwatch@example.org",
                Duration.ofSeconds(2), Duration.ofSeconds(5));
        sink = new EmailSink(db, new SinkAlerts(db, EmailSink.SINK), ledger, settings,
                new StuckDigest(templates, MOSCOW, "https://arm.example.org", 200), new TeamMails(templates, MOSCOW, "https://arm.example.org"),
                new SmtpMailTransport(mail), Metrics.inMemory(), MOSCOW, clock);
        dispatcher.register(EmailSink.SINK, sink, 2);
    }

    @AfterEach
    void stop() {
        if (dispatcher != null) {
            dispatcher.close();
        }
        if (smtp != null) {
            smtp.stop();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void theDigestGoesThroughTheCoreOncePerSlotAndEachDaysDigestsThread() throws Exception {
        start("h2", true);
        new StoreDirectory(db);
        db.inTransaction(c -> new StoreDirectory(db).save(c, StuckDigestTest.store("st-1", "Asia/Vladivostok", StuckDigestTest.allWeek("09:00-16:00"))));
        send(stuck("100", "st-1"));
        send(stuck("200", "st-1"));
        assertEquals("queued", sink.stuckDigestDue(Date.from(MONDAY_10)));
        assertEquals("already queued", sink.stuckDigestDue(Date.from(MONDAY_10)), "one delivery per slot, also after a restart");
        assertEquals("nobody on shift", sink.stuckDigestDue(Date.from(Instant.parse("2026-11-23T20:00:00Z"))), "23:00 Moscow");
        drain();
        assertEquals(1, smtp.getReceivedMessages().length);
        MimeMessage first = smtp.getReceivedMessages()[0];
        assertEquals("Зависшие заказы: 2 (Передан в аптеку 2), новых 2 — 23.11.2026 10:00", first.getSubject());
        assertTrue(first.getHeader("Subject")[0].startsWith("=?UTF-8?"), "the subject is encoded: " + first.getHeader("Subject")[0]);
        assertEquals("digest@example.org", first.getAllRecipients()[0].toString());
        String[] parts = parts(first);
        assertTrue(parts[0].contains("[НОВЫЙ] Заказ 100 — Передан в аптеку, Самовывоз"), parts[0]);
        assertTrue(parts[0].contains("Сейчас: закрыта до завтра 09:00 по местному времени (сейчас 17:00)"), parts[0]);
        assertTrue(parts[1].contains("<a href=\"https://arm.example.org/orders/100\">100</a>"), parts[1]);
        assertEquals(first.getMessageID(), string("SELECT peer_ref FROM delivery WHERE operation = 'stuck-digest'"),
                "the Message-ID is the delivery's peer reference");

        clock.advance(Duration.ofMinutes(20));
        send(resolved(stuck("100", "st-1")));
        clock.set(MONDAY_10.plus(Duration.ofHours(1)));
        assertEquals("queued", sink.stuckDigestDue(Date.from(clock.instant())));
        drain();
        assertEquals(2, smtp.getReceivedMessages().length);
        MimeMessage second = smtp.getReceivedMessages()[1];
        assertEquals("Зависшие заказы: 1 (Передан в аптеку 1), решено 1 — 23.11.2026 11:00", second.getSubject());
        assertEquals(first.getMessageID(), second.getHeader("In-Reply-To")[0], "the day's digests are one thread");
        assertEquals(first.getMessageID(), second.getHeader("References")[0]);
        assertTrue(parts(second)[0].contains("Решено с прошлой сводки: 1 — 100"), parts(second)[0]);
        assertFalse(parts(second)[0].contains("[НОВЫЙ]"), "nothing new since the last digest");
    }

    @ParameterizedTest
    @MethodSource("io.orderwatch.store.TestDatabases#kinds")
    void smtpDownAtTheDueTimeThenBackIsExactlyOneDigestThatSaysItIsLate(String kind) throws Exception {
        start(kind, false);
        send(stuck("100", "st-1"));
        assertEquals("queued", sink.stuckDigestDue(Date.from(MONDAY_10)));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            dispatcher.dispatch();
            clock.advance(Duration.ofSeconds(2));
            return TestApp.count(db, "SELECT COUNT(*) FROM delivery WHERE attempts >= 3 AND state = 'PENDING' AND last_error IS NOT NULL") == 1;
        });
        clock.set(MONDAY_10.plus(Duration.ofMinutes(7)));
        smtp.start();
        assertEquals("already queued", sink.stuckDigestDue(Date.from(MONDAY_10)), "the same slot fired again (a restart) adds nothing");
        drain();
        assertEquals(1, smtp.getReceivedMessages().length, "exactly one digest");
        String text = parts(smtp.getReceivedMessages()[0])[0];
        assertTrue(text.contains("ВНИМАНИЕ: сводка опоздала. Причина: сводка на 10:00 отправлена в 10:07, почта была недоступна: SMTP 127.0.0.1:"),
                text);
        assertEquals(1, TestApp.count(db, "SELECT COUNT(*) FROM delivery WHERE state = 'SENT'"));
    }

    @Test
    void smtpGoingDownUnderEveryKindOfMailThenComingBackOnTheSamePortSendsEachOnceAndTheDigestSaysItIsLate() throws Exception {
        start("h2", true);
        Alert down = ops("SOURCE_DOWN:admin-api", "SOURCE_DOWN", AlertState.FIRING, Map.of("source", "admin-api", "problem", "HTTP 503"));
        send(down);
        drain();
        assertEquals(1, smtp.getReceivedMessages().length, "SMTP up: the ops e-mail goes at once");
        smtp.stop(); // the server goes away, on its port

        send(stuck("100", "st-1"));
        assertEquals("queued", sink.stuckDigestDue(Date.from(MONDAY_10)));
        send(composition("48231192", "a1b2c3", "Ирина (аптека)", "Аптека"));
        send(ops("SOURCE_DOWN:admin-api", "SOURCE_DOWN", AlertState.RESOLVED, Map.of("source", "admin-api", "problem", "HTTP 503")));
        clock.advance(Duration.ofMinutes(2)); // the composition window ends while SMTP is down
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            dispatcher.dispatch();
            clock.advance(Duration.ofSeconds(2));
            return TestApp.count(db, "SELECT COUNT(*) FROM delivery WHERE attempts >= 2 AND state = 'PENDING' AND last_error IS NOT NULL") == 3;
        });
        assertEquals(0, TestApp.count(db, "SELECT COUNT(*) FROM delivery WHERE state = 'FAILED'"), "nothing given up on while SMTP is down");

        clock.set(MONDAY_10.plus(Duration.ofMinutes(9)));
        GreenMail back = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        back.start(); // the same port again
        try {
            assertEquals("already queued", sink.stuckDigestDue(Date.from(MONDAY_10)), "the slot fired again adds nothing");
            drain();
            clock.advance(Duration.ofMinutes(5));
            drain();
            List<String> subjects = new java.util.ArrayList<>();
            for (MimeMessage m : back.getReceivedMessages()) {
                subjects.add(m.getSubject());
            }
            assertEquals(3, subjects.size(), "each once: " + subjects);
            assertEquals(1, subjects.stream().filter(x -> x.startsWith("Зависшие заказы")).count(), String.valueOf(subjects));
            assertEquals(1, subjects.stream().filter(x -> x.startsWith("Изменён состав заказа 48231192")).count(), String.valueOf(subjects));
            assertEquals(1, subjects.stream().filter(x -> x.equals("✅ orderwatch: Админка снова отвечает")).count(), String.valueOf(subjects));
            MimeMessage digest = java.util.Arrays.stream(back.getReceivedMessages()).filter(m -> {
                try {
                    return m.getSubject().startsWith("Зависшие");
                } catch (jakarta.mail.MessagingException e) {
                    return false;
                }
            }).findFirst().orElseThrow();
            assertTrue(parts(digest)[0].contains("ВНИМАНИЕ: сводка опоздала. Причина: сводка на 10:00 отправлена в 10:09, почта была недоступна: SMTP 127.0.0.1:"),
                    parts(digest)[0]);
            assertEquals(4, TestApp.count(db, "SELECT COUNT(*) FROM delivery WHERE state = 'SENT'"), "four e-mails in all, each sent once");
        } finally {
            back.stop();
        }
    }

    @Test
    void aCompositionChangeByPollAndAgainByEventIsOneEmailWithTheTableAndTheCustomer() throws Exception {
        start("h2", true);
        Order order = Json.mapper().readValue("""
                {"id":"48231192","invoiceNumber":"ЛО-1","updatedAt":"2026-11-23T09:00:00+03:00","status":"CONFIRMED","deliveryType":"COURIER","storeId":"st-1",
                 "customer":{"name":"Анна\\r\\nBcc: evil@example.org","phone":"+79806561461"},"amount":1342.25,"items":[]}""", Order.class);
        db.inTransaction(c -> new OrderSnapshots(db.dialect()).save(c, order, OffsetDateTime.now(clock)));
        Alert byPoll = composition("48231192", "a1b2c3", null, "Аптека\r\nBcc: evil@example.org");
        send(byPoll);
        Alert byEvent = composition("48231192", "a1b2c3", "Ирина (аптека)", "Аптека\r\nBcc: evil@example.org");
        send(byEvent); // the same change (same fingerprint), now with who made it
        clock.advance(Duration.ofSeconds(30));
        send(composition("48231192", "d4e5f6", "Ирина (аптека)", "Аптека\r\nBcc: evil@example.org")); // a second change within the window
        assertEquals(1, TestApp.count(db, "SELECT COUNT(*) FROM delivery WHERE operation = 'composition-change'"));
        dispatcher.dispatch();
        assertEquals(0, smtp.getReceivedMessages().length, "it waits for the window to end");
        clock.advance(Duration.ofMinutes(2));
        drain();
        assertEquals(1, smtp.getReceivedMessages().length, "one e-mail");
        MimeMessage m = smtp.getReceivedMessages()[0];
        assertEquals("Изменён состав заказа 48231192 (Аптека Bcc: evil@example.org) — подтвердите с клиентом", m.getSubject());
        assertNull(m.getHeader("Bcc"), "a line break in data never makes a header");
        assertEquals(1, m.getAllRecipients().length);
        assertEquals("team@example.org", m.getAllRecipients()[0].toString());
        String[] parts = parts(m);
        assertTrue(parts[0].contains("Кто изменил: Ирина (аптека)"), parts[0]);
        assertTrue(parts[0].contains("изменений: 2"), parts[0]);
        assertTrue(parts[0].contains("* Нурофен: 1 шт. × 412.00 ₽ → 2 шт. × 412.00 ₽ [количество]"), parts[0]);
        assertTrue(parts[0].contains("* Аквалор: 1 шт. × 731.25 ₽ → — [удалена]"), parts[0]);
        assertTrue(parts[0].contains("* Називин: — → 1 шт. × 319.25 ₽ [добавлена]"), parts[0]);
        assertTrue(parts[0].contains("Новая сумма по позициям: 1143.25 ₽ (была 1143.25 ₽)"), parts[0]);
        assertTrue(parts[0].contains("Сумма заказа в админке сейчас: 1342.25 ₽"), parts[0]);
        assertTrue(parts[0].contains("+79806561461") && parts[0].contains("https://arm.example.org/orders/48231192"), parts[0]);
        assertTrue(parts[1].contains("<s>Аквалор</s>") && parts[1].contains("background: #e3f6e3"), parts[1]);
        assertTrue(parts[1].contains("Анна\r\nBcc: evil@example.org") || parts[1].contains("Анна"), "data stays in the body");
    }

    @Test
    void citiesAskedSinceTheLastAreOneEmailMostAskedFirstAndNoneWhenNobodyAsked() throws Exception {
        start("h2", true);
        send(city("Сосновый Бор", 3, List.of(Map.of("email", "anna@example.org"))));
        send(city("Кировск", 5, List.of(Map.of("phone", "+79990001122"))));
        assertEquals("queued", sink.cityDigestDue(Date.from(MONDAY_10)));
        drain();
        MimeMessage m = smtp.getReceivedMessages()[0];
        assertEquals("Клиенты не нашли свой город: 2 (запросов: 8) — 23.11.2026 10:00", m.getSubject());
        String[] parts = parts(m);
        assertTrue(parts[0].indexOf("Кировск — запросов: 5") < parts[0].indexOf("Сосновый Бор — запросов: 3"), parts[0]);
        assertTrue(parts[0].contains("Платформы: app 2, web 1") && parts[0].contains("anna@example.org"), parts[0]);
        assertTrue(parts[1].contains("<b>Кировск</b>"), parts[1]);
        clock.advance(Duration.ofDays(1));
        assertEquals("no cities", sink.cityDigestDue(Date.from(clock.instant())));
    }

    @Test
    void sourceDownAndDeliveryFailedAreEmailedAtOnceAndTheirResolutionInTheirThread() throws Exception {
        start("h2", true);
        Alert down = ops("SOURCE_DOWN:admin-api", "SOURCE_DOWN", AlertState.FIRING, Map.of("source", "admin-api", "problem", "HTTP 503"));
        send(down);
        send(down); // a newer version of the same outage is not news
        send(ops("DELIVERY_FAILED:email:stuck-digest", "DELIVERY_FAILED", AlertState.FIRING,
                Map.of("sink", "email", "target", "stuck-digest", "error", "535")));
        send(ops("DELIVERY_FAILED:slack:#order-export-problems", "DELIVERY_FAILED", AlertState.FIRING,
                Map.of("sink", "slack", "target", "#order-export-problems", "error", "channel_not_found")));
        drain();
        assertEquals(2, smtp.getReceivedMessages().length, "e-mail's own failure is not e-mailed");
        MimeMessage m = smtp.getReceivedMessages()[0];
        assertEquals("🔴 orderwatch: Админка не отвечает", m.getSubject());
        assertTrue(parts(m)[0].contains("Ошибка: HTTP 503"), parts(m)[0]);
        assertTrue(parts(smtp.getReceivedMessages()[1])[0].contains("Куда: Slack → #order-export-problems"));
        send(ops("SOURCE_DOWN:admin-api", "SOURCE_DOWN", AlertState.RESOLVED, Map.of("source", "admin-api", "problem", "HTTP 503")));
        drain();
        MimeMessage back = smtp.getReceivedMessages()[2];
        assertEquals("✅ orderwatch: Админка снова отвечает", back.getSubject());
        assertEquals(m.getMessageID(), back.getHeader("In-Reply-To")[0]);
        assertTrue(parts(back)[1].contains("Решено"), parts(back)[1]);
    }

    // ---- helpers ------------------------------------------------------------------------------

    private void send(Alert a) throws Exception {
        long v = versions.merge(a.fingerprint(), 1L, Long::sum);
        sink.accept(Json.mapper().writeValueAsString(new AlertEvent(a.fingerprint() + "#" + v + ":" + a.state(), a, OffsetDateTime.now(clock))));
    }

    /** Dispatches until nothing is due by the test's clock (and nothing is in flight). */
    private void drain() {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            dispatcher.dispatch();
            return db.read(c -> {
                try (var ps = c.prepareStatement("SELECT COUNT(*) FROM delivery WHERE state = 'SENDING' "
                        + "OR (state = 'PENDING' AND next_attempt_at <= ?)")) {
                    io.orderwatch.store.JsonColumns.setTime(ps, 1, OffsetDateTime.now(clock));
                    try (var rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getLong(1) == 0;
                    }
                }
            });
        });
    }

    private String string(String sql) {
        return db.read(c -> {
            try (var ps = c.prepareStatement(sql); var rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        });
    }

    /** The decoded text and HTML parts. */
    static String[] parts(MimeMessage m) throws Exception {
        MimeMultipart mp = (MimeMultipart) m.getContent();
        assertEquals(2, mp.getCount());
        assertTrue(mp.getBodyPart(0).isMimeType("text/plain"));
        assertTrue(mp.getBodyPart(1).isMimeType("text/html"));
        return new String[] {(String) mp.getBodyPart(0).getContent(), (String) mp.getBodyPart(1).getContent()};
    }

    private Alert stuck(String orderId, String storeId) {
        OffsetDateTime started = OffsetDateTime.parse("2026-11-23T08:00:00+03:00");
        return new Alert("STUCK_ORDER:" + orderId, "STUCK_ORDER", AlertState.FIRING, false, orderId, storeId, "ch", "Москва", started, started,
                started, null, StuckDigestTest.full("EXPORTED", "2026-11-23T08:00:00+03:00"));
    }

    private static Alert resolved(Alert a) {
        return new Alert(a.fingerprint(), a.kind(), AlertState.RESOLVED, a.muted(), a.orderId(), a.storeId(), a.chainId(), a.region(),
                a.startedAt(), a.firstSeenAt(), a.lastSeenAt(), OffsetDateTime.now(), a.details());
    }

    private Alert composition(String orderId, String digest, String changedBy, String storeName) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("before", List.of(line("1", "p-1", "Нурофен", 1, "412.00"), line("2", "p-2", "Аквалор", 1, "731.25")));
        d.put("after", digest.equals("a1b2c3") ? List.of(line("1", "p-1", "Нурофен", 2, "412.00"))
                : List.of(line("1", "p-1", "Нурофен", 2, "412.00"), line("3", "p-3", "Називин", 1, "319.25")));
        if (changedBy != null) {
            d.put("changedBy", changedBy);
        }
        d.put("storeName", storeName);
        OffsetDateTime at = OffsetDateTime.now(clock);
        return new Alert("COMPOSITION_CHANGED:" + orderId + ":" + digest, "COMPOSITION_CHANGED", AlertState.FIRING, false, orderId, "st-1",
                "ch", "Москва", at, at, at, null, d);
    }

    private static Map<String, Object> line(String id, String product, String name, int qty, String price) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lineId", id);
        m.put("productId", product);
        m.put("name", name);
        m.put("quantity", qty);
        m.put("price", new java.math.BigDecimal(price));
        return m;
    }

    private Alert city(String name, int count, List<Map<String, Object>> contacts) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("city", name);
        d.put("count", count);
        d.put("queries", List.of(name));
        d.put("platforms", Map.of("app", 2, "web", 1));
        d.put("contacts", contacts);
        d.put("lastRequestedAt", OffsetDateTime.now(clock).toString());
        OffsetDateTime at = OffsetDateTime.now(clock).minusHours(2);
        return new Alert("CITY_REQUEST:" + name, "CITY_REQUEST", AlertState.FIRING, false, null, null, null, null, at, at, at, null, d);
    }

    private Alert ops(String fp, String kind, AlertState state, Map<String, Object> details) {
        OffsetDateTime at = MONDAY_10.atOffset(ZoneOffset.UTC);
        return new Alert(fp, kind, state, false, null, null, null, null, at, at, at, state == AlertState.RESOLVED ? at.plusMinutes(12) : null,
                details);
    }

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        private final AtomicReference<Instant> now;

        TestClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        void set(Instant t) {
            now.set(t);
        }

        void advance(Duration d) {
            now.updateAndGet(t -> t.plus(d));
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }
}
