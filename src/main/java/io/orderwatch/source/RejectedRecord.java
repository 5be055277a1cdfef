package io.orderwatch.source;

import java.time.OffsetDateTime;

/**
 * A record that failed validation: kept with its raw JSON and the reason, never silently dropped.
 *
 * @param source    {@code orders}, {@code stores} or {@code events}
 * @param recordId  the record's id where one could be read, else null
 * @param updatedAt the record's updatedAt where one could be read, else null: a poll's watermark moves
 *                  past bad records too
 */
public record RejectedRecord(String source, String recordId, String rawJson, String reason, OffsetDateTime updatedAt) {

    public RejectedRecord(String source, String recordId, String rawJson, String reason) {
        this(source, recordId, rawJson, reason, null);
    }
}
