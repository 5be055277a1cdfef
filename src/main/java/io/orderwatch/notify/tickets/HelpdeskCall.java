package io.orderwatch.notify.tickets;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.orderwatch.model.Json;

import java.util.Map;

/**
 * One request to a helpdesk exactly as it is sent, without the credential (which is added on the way
 * out and never stored): what the ledger keeps and what the outbox writes.
 */
public record HelpdeskCall(String operation, String method, String path, Map<String, Object> body) {

    public static final String TICKET = "ticket";
    public static final String COMMENT = "comment";

    public String toJson() {
        try {
            return Json.mapper().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static HelpdeskCall fromJson(String json) {
        try {
            return Json.mapper().readValue(json, HelpdeskCall.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("unreadable helpdesk call: " + e.getOriginalMessage());
        }
    }
}
