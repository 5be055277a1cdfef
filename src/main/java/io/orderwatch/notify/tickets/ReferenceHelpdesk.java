package io.orderwatch.notify.tickets;

import io.orderwatch.notify.delivery.Outcome;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The reference helpdesk API (helpdesk-api.md): POST /api/v1/tickets with a bearer token and
 * externalId = the alert's fingerprint. A 409 answers with the ticket that already has that externalId,
 * so sending again is also how an in-doubt attempt is checked: never a second ticket.
 */
public final class ReferenceHelpdesk extends HttpHelpdesk {

    public ReferenceHelpdesk(String baseUrl, String token, Duration timeout) {
        super(baseUrl, token, timeout);
    }

    @Override
    public String name() {
        return TicketSettings.REFERENCE;
    }

    @Override
    public String describe() {
        return "reference helpdesk API at " + baseUrl;
    }

    @Override
    public HelpdeskCall ticket(Ticket t) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("externalId", t.externalId());
        body.put("category", t.category());
        body.put("subject", t.subject());
        body.put("body", t.body());
        body.put("phone", t.phone());
        body.put("orderId", t.orderId());
        body.put("priority", t.priority());
        body.put("tags", t.tags());
        return new HelpdeskCall(HelpdeskCall.TICKET, "POST", "/api/v1/tickets", body);
    }

    @Override
    public HelpdeskCall comment(String ticketId, String text) {
        return new HelpdeskCall(HelpdeskCall.COMMENT, "POST", "/api/v1/tickets/" + java.net.URLEncoder.encode(ticketId,
                java.nio.charset.StandardCharsets.UTF_8) + "/comments", Map.of("text", text));
    }

    @Override
    protected HttpRequest.Builder authorise(HttpRequest.Builder b, Map<String, Object> body) {
        return token == null || token.isBlank() ? b : b.header("Authorization", "Bearer " + token);
    }

    @Override
    public Outcome send(long deliveryId, HelpdeskCall call, boolean inDoubt) {
        // in doubt, the same POST is the lookup: the externalId finds the ticket (409 with its id)
        Object r = post(call);
        if (r instanceof Outcome o) {
            return o;
        }
        Answer a = (Answer) r;
        if (HelpdeskCall.TICKET.equals(call.operation()) && (a.status() == 201 || a.status() == 200 || a.status() == 409)) {
            String id = a.json().path("id").asText("");
            return id.isEmpty() ? Outcome.Failed.transientFailure(name() + " answered " + a.status() + " without a ticket id")
                    : new Outcome.Sent(id);
        }
        if (HelpdeskCall.COMMENT.equals(call.operation()) && a.status() >= 200 && a.status() < 300) {
            String id = a.json().path("id").asText("");
            return new Outcome.Sent(id.isEmpty() ? "comment" : id);
        }
        return failure(call, a);
    }
}
