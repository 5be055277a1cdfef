package io.orderwatch.notify.tickets;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderwatch.model.Json;
import io.orderwatch.notify.delivery.Outcome;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** What the reference API and Usedesk share: one JSON POST, its answer sorted by kind of failure. */
abstract class HttpHelpdesk implements Helpdesk {

    protected final String baseUrl;
    protected final String token;
    protected final Duration timeout;
    private final HttpClient http;

    HttpHelpdesk(String baseUrl, String token, Duration timeout) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.token = token;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The answer: status and body, or the outcome of a call that got none. */
    record Answer(int status, String body, Optional<String> retryAfter) {
        JsonNode json() {
            try {
                return Json.mapper().readTree(body == null || body.isBlank() ? "{}" : body);
            } catch (IOException e) {
                return Json.mapper().createObjectNode();
            }
        }
    }

    /** Adds the credential the helpdesk wants to the request (header or field); never stored. */
    protected abstract HttpRequest.Builder authorise(HttpRequest.Builder b, Map<String, Object> body);

    protected Map<String, Object> withCredential(Map<String, Object> body) {
        return body;
    }

    /** @return the answer, or a failed outcome when there was none */
    protected Object post(HelpdeskCall call) {
        Map<String, Object> body = withCredential(call.body());
        String json;
        try {
            json = Json.mapper().writeValueAsString(body);
        } catch (IOException e) {
            return Outcome.Failed.permanentFailure("request cannot be written: " + e.getMessage());
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + call.path())).timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        try {
            HttpResponse<String> r = http.send(authorise(b, body).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(r.statusCode(), r.body(), r.headers().firstValue("Retry-After"));
        } catch (HttpTimeoutException e) {
            if (e instanceof java.net.http.HttpConnectTimeoutException) {
                return Outcome.Failed.transientFailure(name() + " did not accept the connection in time");
            }
            // the request went out: the helpdesk may have acted on it
            return Outcome.Failed.inDoubt(name() + " did not answer within " + timeout.toSeconds() + " s", timeout);
        } catch (ConnectException e) {
            return Outcome.Failed.transientFailure(name() + " unreachable: " + e.getClass().getSimpleName());
        } catch (IOException e) {
            return Outcome.Failed.inDoubt(name() + " call failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.Failed.transientFailure("interrupted");
        }
    }

    /** A 429's wait: Retry-After in seconds, 30 s when it says nothing usable. */
    static Duration retryAfter(Answer a) {
        try {
            return Duration.ofSeconds(Math.max(1, Long.parseLong(a.retryAfter().orElse("30").trim())));
        } catch (NumberFormatException e) {
            return Duration.ofSeconds(30);
        }
    }

    /** The common failures: 400/401/403/404 stop, 429 waits, 5xx and anything else is tried again. */
    protected Outcome failure(HelpdeskCall call, Answer a) {
        String what = name() + " " + call.path() + " answered " + a.status();
        String error = a.json().path("error").isMissingNode() ? "" : ": " + a.json().path("error").toString();
        if (a.status() == 429) {
            return Outcome.Failed.transientFailure(what, retryAfter(a));
        }
        if (a.status() == 401 || a.status() == 403) {
            return Outcome.Failed.permanentFailure(what + " (check HELPDESK_TOKEN)");
        }
        if (a.status() >= 400 && a.status() < 500) {
            return Outcome.Failed.permanentFailure(what + cut(error));
        }
        return Outcome.Failed.transientFailure(what);
    }

    static String cut(String s) {
        return s.length() > 300 ? s.substring(0, 299) + "…" : s;
    }
}
