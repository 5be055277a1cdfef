package io.orderwatch.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Fresh, migrated databases for store tests: an in-memory H2 in PostgreSQL mode, or a new database on
 * one embedded PostgreSQL server shared by the whole test run (started on first use).
 */
public final class TestDatabases {

    private static EmbeddedPostgres postgres;

    private TestDatabases() {}

    public static Database h2() {
        String name = "t" + UUID.randomUUID().toString().replace("-", "");
        return Database.open(new DbSettings("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1;" + DbSettings.H2_OPTIONS, "sa", "", 4));
    }

    public static synchronized Database postgres() {
        try {
            if (postgres == null) {
                postgres = EmbeddedPostgres.builder().start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        postgres.close();
                    } catch (IOException ignored) {
                        // the JVM is going away
                    }
                }));
            }
            String name = "t" + UUID.randomUUID().toString().replace("-", "");
            try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + name);
            }
            return Database.open(new DbSettings(postgres.getJdbcUrl("postgres", name), "postgres", "", 4));
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test database", e);
        }
    }

    /** A new, empty PostgreSQL database on the shared embedded server: {url, user}. */
    public static synchronized String[] postgresUrl() {
        try (Database ignored = postgres()) {
            // started and proven to work
        }
        try {
            String name = "t" + UUID.randomUUID().toString().replace("-", "");
            try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + name);
            }
            return new String[] {postgres.getJdbcUrl("postgres", name), "postgres"};
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test database", e);
        }
    }

    /** Both kinds, for parameterized tests: {@code @MethodSource("io.orderwatch.store.TestDatabases#kinds")}. */
    public static java.util.stream.Stream<String> kinds() {
        return java.util.stream.Stream.of("h2", "postgres");
    }

    public static Database open(String kind) {
        return "postgres".equals(kind) ? postgres() : h2();
    }
}
