package io.orderwatch.store;

import java.util.List;
import java.util.stream.Collectors;

/** The few statements that H2 and PostgreSQL spell differently. Everything else is portable SQL. */
public enum Dialect {
    H2, POSTGRES;

    static Dialect of(String jdbcUrl) {
        return jdbcUrl.startsWith("jdbc:h2:") ? H2 : POSTGRES;
    }

    /** An insert that replaces the row with the same key: {@code columns} includes the key columns. */
    public String upsert(String table, List<String> keyColumns, List<String> columns) {
        String cols = String.join(", ", columns);
        String params = columns.stream().map(c -> "?").collect(Collectors.joining(", "));
        if (this == H2) {
            return "MERGE INTO " + table + " (" + cols + ") KEY (" + String.join(", ", keyColumns) + ") VALUES (" + params + ")";
        }
        String updates = columns.stream().filter(c -> !keyColumns.contains(c))
                .map(c -> c + " = EXCLUDED." + c).collect(Collectors.joining(", "));
        return "INSERT INTO " + table + " (" + cols + ") VALUES (" + params + ") ON CONFLICT ("
                + String.join(", ", keyColumns) + ") DO UPDATE SET " + updates;
    }

    /**
     * Which index a query on one table is to be read by, after the table's name: H2's cost estimates
     * picked a worse one for the delivery core's claims. Nothing for PostgreSQL, whose planner needs no hint.
     */
    public String indexHint(String index) {
        return this == H2 ? " USE INDEX (" + index + ")" : "";
    }
}
