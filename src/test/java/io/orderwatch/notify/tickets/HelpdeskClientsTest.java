package io.orderwatch.notify.tickets;

import io.orderwatch.notify.delivery.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Both helpdesk clients against the stub: every answer sorted into the delivery core's kinds of outcome. */
class HelpdeskClientsTest {

    private final HelpdeskStub stub;

    HelpdeskClientsTest() throws Exception {
        stub = new HelpdeskStub("hd-secret");
    }

    @AfterEach
    void close() {
        stub.close();
    }

    private static Ticket ticket(String fp) {
        return new Ticket(fp, "Курьерская доставка — статус заказа", "Статус заказа / Курьерская доставка / 48231192", "Что случилось: …",
                "+79806561461", "Анна", "48231192", "high", List.of("orderwatch", "courier"), "problem");
    }

    @Test
    void referenceApiAnswersByKind() {
        ReferenceHelpdesk hd = new ReferenceHelpdesk(stub.url(), "hd-secret", Duration.ofSeconds(1));
        HelpdeskCall call = hd.ticket(ticket("STUCK_ORDER:48231192"));
        stub.script(HelpdeskStub.Script.UNAVAILABLE_503, HelpdeskStub.Script.RATE_LIMITED_429, HelpdeskStub.Script.BAD_REQUEST_400,
                HelpdeskStub.Script.UNAUTHORIZED_401);
        Outcome.Failed unavailable = assertInstanceOf(Outcome.Failed.class, hd.send(1, call, false));
        assertTrue(!unavailable.permanent(), "503 is tried again");
        Outcome.Failed limited = assertInstanceOf(Outcome.Failed.class, hd.send(1, call, false));
        assertEquals(Duration.ofSeconds(7), limited.retryAfter(), "429 waits its Retry-After");
        assertTrue(assertInstanceOf(Outcome.Failed.class, hd.send(1, call, false)).permanent(), "400 stops");
        Outcome.Failed unauthorised = assertInstanceOf(Outcome.Failed.class, hd.send(1, call, false));
        assertTrue(unauthorised.permanent() && unauthorised.error().contains("HELPDESK_TOKEN"), unauthorised.error());
        assertEquals(new Outcome.Sent("T-1043"), hd.send(1, call, false), "201");
        assertEquals(new Outcome.Sent("T-1043"), hd.send(1, call, true), "409 with the existing id counts as created");
        assertEquals(1, stub.tickets().size());
        assertEquals("Bearer hd-secret", stub.calls().get(stub.calls().size() - 1).authorization());
        assertEquals("STUCK_ORDER:48231192", stub.tickets().get(0).path("externalId").asText());
        assertEquals(new Outcome.Sent("C-1"), hd.send(2, hd.comment("T-1043", "Проблема решена автоматически: …"), false));
        assertEquals("T-1043", stub.comments().get(0).path("ticket").asText());
    }

    @Test
    void aReferenceTicketCreatedThenAnsweredTooLateIsFoundByItsExternalIdNotMadeTwice() {
        ReferenceHelpdesk hd = new ReferenceHelpdesk(stub.url(), "hd-secret", Duration.ofMillis(500));
        HelpdeskCall call = hd.ticket(ticket("DELETED_STORE_ORDER:48239002"));
        stub.script(HelpdeskStub.Script.CREATE_THEN_SLOW);
        Outcome.Failed doubt = assertInstanceOf(Outcome.Failed.class, hd.send(1, call, false));
        assertTrue(doubt.maybeDelivered(), "a timeout after the request went out is in doubt: " + doubt);
        assertEquals(new Outcome.Sent("T-1043"), hd.send(1, call, true));
        assertEquals(1, stub.tickets().size(), "one ticket");
    }

    @Test
    void usedeskGetsItsOwnFieldsWithinItsLimitsAndAnInDoubtTicketIsNotMadeAgain() {
        UsedeskHelpdesk hd = new UsedeskHelpdesk(stub.url(), "hd-secret", Duration.ofMillis(500));
        Ticket t = new Ticket("STUCK_ORDER:48231192", "Самовывоз — статус заказа", "С".repeat(300), "строка <b>1</b>\nстрока 2", "+79806561461",
                "Анна", "48231192", "high", Collections.nCopies(40, "orderwatch-tag"), "problem");
        HelpdeskCall call = hd.ticket(t);
        assertEquals(255, ((String) call.body().get("subject")).length());
        String tags = (String) call.body().get("tag");
        assertTrue(tags.length() <= 255 && tags.startsWith("orderwatch-tag, orderwatch-tag") && !tags.endsWith(","), tags);
        assertEquals("urgent", call.body().get("priority"), "Usedesk has no \"high\"");
        assertEquals("problem", call.body().get("type"));
        assertEquals("STUCK_ORDER:48231192", call.body().get("additional_id"));
        assertTrue(((String) call.body().get("message")).contains("&lt;b&gt;1&lt;/b&gt;<br>строка 2"));
        assertTrue(!call.toJson().contains("hd-secret"), "the token is never in what is stored");
        assertEquals("low", UsedeskHelpdesk.PRIORITY.get("low"));
        assertEquals("medium", UsedeskHelpdesk.PRIORITY.get("normal"));
        assertEquals("extreme", UsedeskHelpdesk.PRIORITY.get("urgent"));

        stub.script(HelpdeskStub.Script.RATE_LIMITED_429, HelpdeskStub.Script.UNAUTHORIZED_401);
        assertEquals(Duration.ofSeconds(7), assertInstanceOf(Outcome.Failed.class, hd.send(1, call, false)).retryAfter());
        assertTrue(assertInstanceOf(Outcome.Failed.class, hd.send(1, call, false)).permanent());
        assertEquals(new Outcome.Sent("1043"), hd.send(1, call, false));
        assertEquals("hd-secret", stub.calls().get(stub.calls().size() - 1).body().path("api_token").asText());

        stub.script(HelpdeskStub.Script.CREATE_THEN_SLOW);
        Outcome.Failed doubt = assertInstanceOf(Outcome.Failed.class, hd.send(2, hd.ticket(ticket("EXPORT_FAILED:1")), false));
        assertTrue(doubt.maybeDelivered());
        Outcome.Failed stop = assertInstanceOf(Outcome.Failed.class, hd.send(2, hd.ticket(ticket("EXPORT_FAILED:1")), true));
        assertTrue(stop.permanent() && stop.error().contains("additional_id EXPORT_FAILED:1"), stop.error());
        assertEquals(2, stub.tickets().size(), "no second ticket for the in-doubt one");
        assertEquals(new Outcome.Sent("1"), hd.send(3, hd.comment("1043", "Проблема решена"), false));
        assertEquals("private", stub.comments().get(0).path("type").asText());
    }
}
