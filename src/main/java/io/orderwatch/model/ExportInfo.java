package io.orderwatch.model;

import java.time.OffsetDateTime;

/** How the order was handed to the pharmacy's own system. {@code system} is open-ended (SBIS, FTP, ...). */
public record ExportInfo(ExportState state, String system, int attempts, OffsetDateTime lastAttemptAt, ExportError error) {}
