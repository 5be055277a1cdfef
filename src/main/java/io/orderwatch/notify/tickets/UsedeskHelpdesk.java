package io.orderwatch.notify.tickets;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderwatch.notify.delivery.Outcome;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Usedesk (helpdesk-api.md): POST create/ticket with the channel's api_token in the body,
 * additional_id = the alert's fingerprint, its own type and priority values, tags within 255 characters
 * and the subject within 255. It has no idempotency key and no lookup by additional_id, so the ledger is
 * what remembers a created ticket; an attempt in doubt (no answer after the request went out) is not
 * sent again blindly: it stops in the dead letters with the additional_id to check in Usedesk.
 */
public final class UsedeskHelpdesk extends HttpHelpdesk {

    static final int MAX = 255;
    static final Map<String, String> PRIORITY = Map.of("low", "low", "normal", "medium", "high", "urgent", "urgent", "extreme");

    public UsedeskHelpdesk(String baseUrl, String token, Duration timeout) {
        super(baseUrl, token, timeout);
    }

    @Override
    public String name() {
        return TicketSettings.USEDESK;
    }

    @Override
    public String describe() {
        return "Usedesk at " + baseUrl;
    }

    @Override
    public HelpdeskCall ticket(Ticket t) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("subject", within(t.subject(), MAX));
        body.put("message", html(t.category() + "\n\n" + t.body()));
        if (t.customerName() != null) {
            body.put("client_name", t.customerName());
        }
        body.put("client_phone", t.phone());
        body.put("additional_id", t.externalId());
        body.put("type", t.usedeskType());
        body.put("priority", PRIORITY.getOrDefault(t.priority(), "medium"));
        body.put("tag", tags(t.tags()));
        return new HelpdeskCall(HelpdeskCall.TICKET, "POST", "/create/ticket", body);
    }

    @Override
    public HelpdeskCall comment(String ticketId, String text) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ticket_id", ticketId);
        body.put("message", html(text));
        body.put("type", "private");
        return new HelpdeskCall(HelpdeskCall.COMMENT, "POST", "/create/comment", body);
    }

    @Override
    protected HttpRequest.Builder authorise(HttpRequest.Builder b, Map<String, Object> body) {
        return b;
    }

    @Override
    protected Map<String, Object> withCredential(Map<String, Object> body) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("api_token", token);
        out.putAll(body);
        return out;
    }

    @Override
    public Outcome send(long deliveryId, HelpdeskCall call, boolean inDoubt) {
        if (inDoubt && HelpdeskCall.TICKET.equals(call.operation())) {
            return Outcome.Failed.permanentFailure("Usedesk may already have this ticket (an earlier attempt got no answer) and cannot be "
                    + "asked: look for additional_id " + call.body().get("additional_id") + " in Usedesk, then replay or discard this delivery");
        }
        Object r = post(call);
        if (r instanceof Outcome o) {
            return o;
        }
        Answer a = (Answer) r;
        if (a.status() >= 200 && a.status() < 300) {
            JsonNode j = a.json();
            String id = firstText(j.path("ticket_id"), j.path("id"), j.path("ticket").path("id"),
                    j.path("comment_id"), j.path("data").path("ticket_id"));
            if (!id.isEmpty()) {
                return new Outcome.Sent(id);
            }
            if (HelpdeskCall.COMMENT.equals(call.operation()) && "success".equals(j.path("status").asText())) {
                return new Outcome.Sent("comment");
            }
            return Outcome.Failed.permanentFailure("Usedesk " + call.path() + " answered " + a.status() + " without an id"
                    + cut(j.path("error").isMissingNode() ? "" : ": " + j.path("error")));
        }
        if (a.status() == 500 && HelpdeskCall.TICKET.equals(call.operation())) {
            return Outcome.Failed.inDoubt("Usedesk " + call.path() + " answered 500", Duration.ofSeconds(5));
        }
        return failure(call, a);
    }

    /** Usedesk's tag field: comma-and-space separated, whole tags only, within 255 characters. */
    static String tags(List<String> tags) {
        StringBuilder b = new StringBuilder();
        for (String t : tags) {
            String clean = t.replace(",", " ").strip();
            if (clean.isEmpty()) {
                continue;
            }
            int add = (b.length() == 0 ? 0 : 2) + clean.length();
            if (b.length() + add > MAX) {
                break;
            }
            b.append(b.length() == 0 ? "" : ", ").append(clean);
        }
        return b.toString();
    }

    static String within(String s, int max) {
        if (s == null || s.codePointCount(0, s.length()) <= max) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, max - 1)) + "…";
    }

    /** The message is HTML: facts are escaped, line breaks kept. */
    static String html(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("\n", "<br>");
    }

    private static String firstText(JsonNode... nodes) {
        for (JsonNode n : nodes) {
            if (n != null && !n.isMissingNode() && !n.isNull() && !n.asText("").isEmpty()) {
                return n.asText();
            }
        }
        return "";
    }
}
