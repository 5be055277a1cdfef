package io.orderwatch.source;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.orderwatch.model.Json;
import io.orderwatch.model.Order;
import io.orderwatch.model.OrderVersion;
import io.orderwatch.model.Store;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads orders and stores from the reference admin API (admin-api.md): every page by cursor, each page
 * parsed as a stream so that a full load of a million orders never sits in memory, each record
 * validated on its own (a bad record is rejected with its raw JSON; the rest of the page goes on).
 * 5xx, timeouts and broken pages are retried with backoff. A 429 ends the poll run at once (the
 * calling thread is not held: the watermark stays, the next run resumes) and no request goes to the
 * admin API again before the time its Retry-After names.
 */
public final class AdminApiClient {

    /** Waits between attempts; replaced in tests so they do not wait. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final AdminApiSettings settings;
    private final HttpClient http;
    private final Sleeper sleeper;
    private final java.time.Clock clock;
    /** Set by a 429: no request before this instant (Retry-After, capped by maxRetryAfter). */
    private volatile Instant notBefore;
    private final ObjectMapper mapper = Json.mapper();
    /** Prebuilt readers: resolving the root deserializer once, not per record. */
    private final java.util.Map<Class<?>, ObjectReader> readers = new java.util.concurrent.ConcurrentHashMap<>();

    public AdminApiClient(AdminApiSettings settings) {
        this(settings, d -> Thread.sleep(d.toMillis()));
    }

    public AdminApiClient(AdminApiSettings settings, Sleeper sleeper) {
        this(settings, sleeper, java.time.Clock.systemUTC());
    }

    public AdminApiClient(AdminApiSettings settings, Sleeper sleeper, java.time.Clock clock) {
        this.settings = settings;
        this.sleeper = sleeper;
        this.clock = clock;
        this.http = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public PollResult pollOrders(OffsetDateTime updatedSince, RecordSink<Order> sink) {
        return poll("/api/v1/orders", "orders", updatedSince, sink, Order.class, Order::id, Order::updatedAt, RecordValidator::problem);
    }

    /**
     * The orders changed since {@code updatedSince} as id, version and status only: the same pages as
     * {@link #pollOrders}, with every other field skipped instead of bound (a ticket's fresh status read).
     * A record without an id, a version or a known status is rejected.
     */
    public PollResult pollOrderVersions(OffsetDateTime updatedSince, RecordSink<OrderVersion> sink) {
        return poll("/api/v1/orders", "orders", updatedSince, sink, OrderVersion.class, OrderVersion::id, OrderVersion::updatedAt,
                v -> v.id() == null || v.id().isBlank() ? Optional.of("id: missing")
                        : v.updatedAt() == null ? Optional.of("updatedAt: missing")
                        : v.status() == null ? Optional.of("status: missing") : Optional.empty());
    }

    public PollResult pollStores(OffsetDateTime updatedSince, RecordSink<Store> sink) {
        return poll("/api/v1/stores", "stores", updatedSince, sink, Store.class, Store::id, Store::updatedAt, RecordValidator::problem);
    }

    /** Readiness: a cheap one-record request with a short timeout; empty when it answers 200. */
    public Optional<String> ping() {
        try {
            HttpResponse<Void> r = http.send(request(uri("/api/v1/stores", null, null, 1), Duration.ofSeconds(5)),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200 ? Optional.empty() : Optional.of("admin API answered " + r.statusCode());
        } catch (IOException e) {
            return Optional.of("admin API unreachable: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    private <T> PollResult poll(String path, String source, OffsetDateTime since, RecordSink<T> sink, Class<T> type,
                                Function<T, String> id, Function<T, OffsetDateTime> updatedAt,
                                Function<T, Optional<String>> validator) {
        Instant started = Instant.now();
        String cursor = null;
        int pages = 0;
        long[] counts = new long[2];
        OffsetDateTime[] max = new OffsetDateTime[1];
        RecordSink<T> counting = new RecordSink<>() {
            @Override
            public void accept(T record) {
                counts[0]++;
                later(updatedAt.apply(record));
                sink.accept(record);
            }

            @Override
            public void reject(RejectedRecord r) {
                counts[1]++;
                sink.reject(r);
                later(r.updatedAt()); // only once it is quarantined: a failed quarantine is read again
            }

            @Override
            public void endOfPage() {
                sink.endOfPage();
            }

            private void later(OffsetDateTime u) {
                if (u != null && (max[0] == null || u.isAfter(max[0]))) {
                    max[0] = u;
                }
            }
        };
        do {
            URI uri = uri(path, since, cursor, settings.pageSize());
            cursor = fetchPage(uri, path, source, counting, type, id, updatedAt, validator);
            pages++;
        } while (cursor != null);
        return new PollResult(pages, counts[0], counts[1], max[0], Duration.between(started, Instant.now()));
    }

    /** Fetches and parses one page with retries; returns the next cursor or null. */
    private <T> String fetchPage(URI uri, String path, String source, RecordSink<T> sink, Class<T> type,
                                 Function<T, String> id, Function<T, OffsetDateTime> updatedAt,
                                 Function<T, Optional<String>> validator) {
        int failures = 0;
        String lastProblem = null;
        while (true) {
            Instant wait = notBefore;
            if (wait != null && clock.instant().isBefore(wait)) {
                throw new SourceRateLimitedException("admin API asked to wait (429, Retry-After) until " + wait
                        + ": GET " + path + " not sent before then", wait);
            }
            try {
                HttpResponse<InputStream> response = http.send(request(uri, settings.readTimeout()), HttpResponse.BodyHandlers.ofInputStream());
                int status = response.statusCode();
                try (InputStream body = new PageLimitInputStream(new IdleTimeoutInputStream(response.body(), settings.readTimeout()),
                        settings.maxPageBytes(), settings.maxPageTime())) {
                    if (status == 200) {
                        try {
                            return parsePage(body, source, sink, type, id, updatedAt, validator);
                        } finally {
                            // what the page gave before it broke off is kept as when each record was stored on its own
                            sink.endOfPage();
                        }
                    }
                    if (status == 401 || status == 403) {
                        throw new SourceAuthException("admin API refused the token: GET " + path + " answered " + status
                                + " (check ORDERWATCH_ADMIN_TOKEN)");
                    }
                    if (status == 429) {
                        // the run ends here instead of sleeping on the scheduler's thread; the next run resumes
                        Instant until = clock.instant().plus(retryAfter(response));
                        notBefore = until;
                        throw new SourceRateLimitedException("admin API is rate-limiting: GET " + path
                                + " answered 429, next request not before " + until, until);
                    }
                    lastProblem = "GET " + path + " answered " + status;
                    if (status < 500 && status != 429 && status != 408) {
                        throw new SourceUnavailableException("admin API rejected the request: " + lastProblem, null);
                    }
                }
            } catch (IOException e) {
                lastProblem = "GET " + path + " failed: " + describe(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SourceUnavailableException("interrupted while reading the admin API", e);
            }
            failures++;
            if (failures >= settings.maxAttempts()) {
                throw new SourceUnavailableException("admin API unavailable: " + lastProblem
                        + " (" + failures + " attempt" + (failures == 1 ? "" : "s") + ")", null);
            }
            try {
                sleeper.sleep(backoff(failures));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SourceUnavailableException("interrupted while waiting to retry the admin API", e);
            }
        }
    }

    /**
     * Parses one page of orders from a stream exactly as a poll does (per-record validation, rejects
     * with raw JSON); returns the next cursor. Public for the benchmark and for integrators' adapters.
     */
    public String parseOrdersPage(InputStream body, RecordSink<Order> sink) throws IOException {
        return parsePage(body, "orders", sink, Order.class, Order::id, Order::updatedAt, RecordValidator::problem);
    }

    /**
     * Streams {@code {"items": [...], "nextCursor": ...}} record by record; unknown fields are skipped.
     * Each record is bound straight from the page's parser; the bytes under it are retained only until
     * the next record starts, so that a bad record is kept exactly as it arrived.
     */
    private <T> String parsePage(InputStream body, String source, RecordSink<T> sink, Class<T> type,
                                 Function<T, String> id, Function<T, OffsetDateTime> updatedAt,
                                 Function<T, Optional<String>> validator) throws IOException {
        String next = null;
        boolean sawItems = false;
        RetainingInputStream retained = new RetainingInputStream(body);
        ObjectReader reader = readers.computeIfAbsent(type, mapper::readerFor);
        try (JsonParser p = mapper.getFactory().createParser(retained)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new PageFormatException("page is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("items".equals(field)) {
                    if (value != JsonToken.START_ARRAY) {
                        throw new PageFormatException("items is not an array");
                    }
                    sawItems = true;
                    JsonStreamContext items = p.getParsingContext();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        readItem(p, items, retained, source, sink, reader, id, updatedAt, validator);
                    }
                } else if ("nextCursor".equals(field)) {
                    next = value == JsonToken.VALUE_NULL ? null : p.getValueAsString();
                    if (next != null && next.isEmpty()) {
                        next = null;
                    }
                } else {
                    p.skipChildren();
                }
            }
        } catch (JsonProcessingException e) {
            throw new PageFormatException("page is not valid JSON: " + io.orderwatch.observe.LogText.escape(firstLine(e.getOriginalMessage())));
        }
        if (!sawItems) {
            throw new PageFormatException("page has no items array");
        }
        return next;
    }

    /**
     * Reads the element of {@code items} the parser stands on and leaves the parser on its last token.
     * A record that does not bind or validate is rejected with its raw JSON, exactly as it arrived; a
     * page that is not JSON any more throws.
     */
    private <T> void readItem(JsonParser p, JsonStreamContext items, RetainingInputStream retained, String source,
                              RecordSink<T> sink, ObjectReader reader, Function<T, String> id,
                              Function<T, OffsetDateTime> updatedAt, Function<T, Optional<String>> validator) throws IOException {
        if (p.currentToken() == JsonToken.START_ARRAY) {
            // kept as the bytes it came as, like a bad record (never copied token by token: an array
            // that goes on and on would fill the heap before the page limit is reached)
            long start = p.currentTokenLocation().getByteOffset();
            retained.markAt(start);
            p.skipChildren();
            sink.reject(new RejectedRecord(source, null, rawText(retained, start, p), "record is not a JSON object"));
            return;
        }
        if (p.currentToken() != JsonToken.START_OBJECT) {
            TokenBuffer buffer = new TokenBuffer(p);
            buffer.copyCurrentStructure(p);
            sink.reject(new RejectedRecord(source, null, raw(buffer), "record is not a JSON object"));
            return;
        }
        long start = p.currentTokenLocation().getByteOffset();
        retained.markAt(start);
        T record;
        try {
            record = reader.readValue(p);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            Throwable broken = malformedJson(e);
            if (broken != null) {
                throw (IOException) broken;
            }
            while (p.getParsingContext() != items) { // the rest of this record, whatever state binding left it in
                if (p.nextToken() == null) {
                    throw new PageFormatException("page ends inside a record");
                }
            }
            String raw = rawText(retained, start, p);
            JsonNode tree = tree(raw);
            sink.reject(new RejectedRecord(source, field(tree, "id"), raw, reason(e), time(field(tree, "updatedAt"))));
            return;
        }
        Optional<String> problem = validator.apply(record);
        if (problem.isPresent()) {
            sink.reject(new RejectedRecord(source, id.apply(record), rawText(retained, start, p), problem.get(), updatedAt.apply(record)));
            return;
        }
        sink.accept(record);
    }

    /**
     * Malformed JSON (or JSON past the parser's limits), which databind may wrap as a mapping problem:
     * then the page, not the record, is bad. A number too large for its field is the record's problem.
     */
    private static Throwable malformedJson(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JsonParseException || t instanceof StreamConstraintsException) {
                return t;
            }
        }
        return null;
    }

    private static String rawText(RetainingInputStream retained, long start, JsonParser p) {
        String raw = retained.text(start, p.currentLocation().getByteOffset());
        return raw != null ? raw : "<not kept: the record is longer than " + (RetainingInputStream.MAX_KEPT >> 20) + " MiB>";
    }

    /** "status: unknown value \"LOST\"", "statusChangedAt: not an ISO-8601 time \"yesterday\"", ... */
    static String reason(Exception e) {
        if (e instanceof InvalidFormatException ife) {
            String path = path(ife);
            Class<?> target = ife.getTargetType();
            if (target != null && target.isEnum()) {
                return path + ": unknown value \"" + ife.getValue() + "\"";
            }
            if (target != null && java.time.temporal.Temporal.class.isAssignableFrom(target)) {
                return path + ": not an ISO-8601 time \"" + ife.getValue() + "\"";
            }
            return path + ": invalid value \"" + ife.getValue() + "\"";
        }
        if (e instanceof MismatchedInputException mie) {
            return path(mie) + ": wrong type (" + firstLine(mie.getOriginalMessage()) + ")";
        }
        if (e instanceof JsonProcessingException jpe) {
            String path = jpe instanceof com.fasterxml.jackson.databind.JsonMappingException jme ? path(jme) : "record";
            Throwable cause = jpe.getCause();
            if (cause instanceof java.time.format.DateTimeParseException dtpe) {
                return path + ": not an ISO-8601 time \"" + dtpe.getParsedString() + "\"";
            }
            return path + ": " + firstLine(cause instanceof IllegalArgumentException ? cause.getMessage() : jpe.getOriginalMessage());
        }
        return firstLine(e.getMessage());
    }

    private static String path(com.fasterxml.jackson.databind.JsonMappingException e) {
        String p = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        return p.isEmpty() ? "record" : p;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "invalid";
        }
        String line = s.lines().findFirst().orElse(s);
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    private JsonNode tree(String raw) {
        try {
            return mapper.readTree(raw);
        } catch (IOException e) {
            return null;
        }
    }

    private static String field(JsonNode tree, String name) {
        JsonNode v = tree == null ? null : tree.get(name);
        return v != null && v.isValueNode() && !v.isNull() ? v.asText() : null;
    }

    private static OffsetDateTime time(String text) {
        try {
            return text == null ? null : io.orderwatch.model.IsoTimes.parse(text.trim());
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    private String raw(TokenBuffer buffer) {
        try (JsonParser p = buffer.asParser(mapper)) {
            return mapper.writeValueAsString(mapper.readTree(p));
        } catch (IOException e) {
            return "<unreadable>";
        }
    }

    private HttpRequest request(URI uri, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET();
        if (settings.hasToken()) {
            b.header("Authorization", "Bearer " + settings.token());
        }
        return b.build();
    }

    private URI uri(String path, OffsetDateTime since, String cursor, int limit) {
        StringBuilder q = new StringBuilder("limit=").append(limit);
        if (since != null) {
            q.append("&updatedSince=").append(URLEncoder.encode(since.toString(), StandardCharsets.UTF_8));
        }
        if (cursor != null) {
            q.append("&cursor=").append(URLEncoder.encode(cursor, StandardCharsets.UTF_8));
        }
        String base = settings.baseUrl().toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path + "?" + q);
    }

    private Duration backoff(int failures) {
        long ms = settings.backoff().toMillis() * (1L << Math.min(failures - 1, 16));
        return Duration.ofMillis(Math.min(ms, settings.maxBackoff().toMillis()));
    }

    private Duration retryAfter(HttpResponse<?> response) {
        Optional<String> header = response.headers().firstValue("Retry-After");
        Duration wait = Duration.ofSeconds(1);
        if (header.isPresent()) {
            String v = header.get().trim();
            try {
                wait = Duration.ofSeconds(Math.max(0, Long.parseLong(v)));
            } catch (NumberFormatException notSeconds) {
                try {
                    ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                    wait = Duration.between(clock.instant(), at.toInstant());
                    if (wait.isNegative()) {
                        wait = Duration.ZERO;
                    }
                } catch (RuntimeException ignored) {
                    // keep the default
                }
            }
        }
        return wait.compareTo(settings.maxRetryAfter()) > 0 ? settings.maxRetryAfter() : wait;
    }

    private static String describe(IOException e) {
        if (e instanceof java.net.http.HttpTimeoutException) {
            return "timed out";
        }
        if (e instanceof java.net.ConnectException) {
            return "connection refused";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : firstLine(e.getMessage());
    }

    /** A page that is not the JSON envelope the contract promises: retried like a 5xx. */
    static final class PageFormatException extends IOException {
        PageFormatException(String message) {
            super(message);
        }
    }
}
