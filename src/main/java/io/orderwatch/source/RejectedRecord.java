package io.orderwatch.source;

/**
 * A record that failed validation: kept with its raw JSON and the reason, never silently dropped.
 *
 * @param source   {@code orders}, {@code stores} or {@code events}
 * @param recordId the record's id where one could be read, else null
 */
public record RejectedRecord(String source, String recordId, String rawJson, String reason) {}
