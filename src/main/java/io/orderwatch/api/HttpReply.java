package io.orderwatch.api;

import io.orderwatch.model.Json;

import java.util.Map;

/** A status and a JSON body, for the thin HTTP routes to hand back. */
public record HttpReply(int status, String body) {

    public static HttpReply json(int status, Object body) {
        try {
            return new HttpReply(status, Json.mapper().writeValueAsString(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static HttpReply error(int status, String message) {
        return json(status, Map.of("error", message));
    }

    public static HttpReply unauthorized() {
        return error(401, "missing or wrong bearer token (Authorization: Bearer <ORDERWATCH_API_TOKEN>)");
    }
}
