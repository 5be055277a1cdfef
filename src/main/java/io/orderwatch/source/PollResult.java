package io.orderwatch.source;

import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * What one walk over every page brought.
 *
 * @param maxUpdatedAt the highest {@code updatedAt} among accepted records, for the caller's watermark
 */
public record PollResult(int pages, long accepted, long rejected, OffsetDateTime maxUpdatedAt, Duration duration) {}
