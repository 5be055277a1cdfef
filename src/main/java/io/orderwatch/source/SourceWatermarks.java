package io.orderwatch.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderwatch.model.Json;
import io.orderwatch.store.Watermarks;

import java.io.IOException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * The watermark of an integrator's source route, kept in orderwatch's database (table
 * source_watermark, beside the built-in pollers'), so that a restart or another instance resumes where
 * the last run stopped. Routes call {@code sourceWatermarks.get('legacy-orders')} before a walk and
 * {@code sourceWatermarks.advance('legacy-orders', ${body})} after each event handed over.
 */
public final class SourceWatermarks {

    private final Watermarks watermarks;
    private final Clock clock;

    public SourceWatermarks(Watermarks watermarks, Clock clock) {
        this.watermarks = watermarks;
        this.clock = clock;
    }

    /** The watermark as ISO-8601 in UTC ({@code 2026-11-22T06:20:00Z}: nothing to escape in a query), or "" before the first run. */
    public String get(String source) {
        return watermarks.get(prefixed(source)).map(t -> t.toInstant().toString()).orElse("");
    }

    /**
     * Moves the watermark forward (never back) to the event's {@code data.updatedAt}, or to the time
     * given as ISO-8601. An event without a readable time leaves it where it is: it is quarantined downstream.
     */
    public void advance(String source, String eventOrTime) {
        OffsetDateTime t = timeOf(eventOrTime);
        if (t != null) {
            watermarks.advance(prefixed(source), t.withOffsetSameInstant(ZoneOffset.UTC), OffsetDateTime.now(clock));
        }
    }

    private static OffsetDateTime timeOf(String eventOrTime) {
        if (eventOrTime == null || eventOrTime.isBlank()) {
            return null;
        }
        String text = eventOrTime.trim();
        try {
            if (text.startsWith("{")) {
                JsonNode n = Json.mapper().readTree(text).path("data").path("updatedAt");
                if (!n.isTextual()) {
                    return null;
                }
                text = n.asText();
            }
            return OffsetDateTime.parse(text);
        } catch (IOException | DateTimeParseException e) {
            return null;
        }
    }

    /** Kept apart from the built-in pollers' names (orders, stores). */
    private static String prefixed(String source) {
        if (source == null || !source.matches("[a-z0-9][a-z0-9-]{0,50}")) {
            throw new IllegalArgumentException("a source name is lower-case kebab-case, got \"" + source + "\"");
        }
        return "route:" + source;
    }
}
