package io.orderwatch.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

/**
 * The state database: a pooled DataSource, migrated by Flyway on open, and transactions that retry
 * when two writers race for the same new row.
 */
public final class Database implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    private static final int MAX_TX_ATTEMPTS = 4;

    private final HikariDataSource dataSource;
    private final Dialect dialect;

    private Database(HikariDataSource dataSource, Dialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
    }

    /** Connects and migrates; throws {@link StoreException} with a one-line reason when it cannot. */
    public static Database open(DbSettings settings) {
        if (settings.url() != null && settings.url().startsWith("jdbc:h2:")) {
            withoutH2ValueCache();
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("orderwatch-db");
        config.setJdbcUrl(settings.url());
        if (settings.user() != null && !settings.user().isEmpty()) {
            config.setUsername(settings.user());
        }
        if (settings.password() != null && !settings.password().isEmpty()) {
            config.setPassword(settings.password());
        }
        config.setMaximumPoolSize(settings.maxPoolSize());
        config.setMinimumIdle(1);
        config.setConnectionTimeout(Duration.ofSeconds(10).toMillis());
        config.setInitializationFailTimeout(Duration.ofSeconds(15).toMillis());
        config.setAutoCommit(true);
        if (settings.url() != null && settings.url().startsWith("jdbc:postgresql:")) {
            // Every statement planned with its parameters and the table as it is now (PostgreSQL 12 or later).
            // By default a prepared statement switches to a generic plan after five runs and keeps it until
            // the table's statistics change: planned while ticket_watch was nearly empty (a fresh install, the
            // first burst, before autovacuum's first ANALYZE), locking a page of watches by key stayed a
            // sequential scan while the table grew, 15-30 ms a statement instead of 0.4 (EscalationBenchmark).
            // Planning a statement costs tens of microseconds; the statements stay prepared.
            // (older servers, which have no such setting, keep their own behaviour rather than refusing to connect)
            config.setConnectionInitSql("SELECT set_config('plan_cache_mode', 'force_custom_plan', false) "
                    + "WHERE current_setting('server_version_num')::int >= 120000");
        }
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException("cannot connect to the database " + io.orderwatch.observe.LogText.mask(settings.url())
                    + ": " + io.orderwatch.observe.Problems.rootLine(e), e);
        }
        try {
            Flyway.configure()
                    .dataSource(ds)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw new StoreException("database migration failed: " + io.orderwatch.observe.Problems.rootLine(e), e);
        }
        Dialect dialect = Dialect.of(settings.url());
        // said in orderwatch's one start-up line (Wiring.announce)
        LOG.debug("Database ready ({}), schema migrated", dialect);
        return new Database(ds, dialect);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public Dialect dialect() {
        return dialect;
    }

    /** Work done inside one transaction. */
    @FunctionalInterface
    public interface TxWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction and commits. A unique-key race (two writers inserting the same
     * new row) or a serialization failure rolls back and runs the work again, so callers write their work
     * as "read, decide, write" and stay correct under concurrency.
     */
    public <T> T inTransaction(TxWork<T> work) {
        SQLException last = null;
        for (int attempt = 1; attempt <= MAX_TX_ATTEMPTS; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    T result = work.run(c);
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    if (e instanceof SQLException sql && isRetryable(sql) && attempt < MAX_TX_ATTEMPTS) {
                        last = sql;
                        continue;
                    }
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
            } catch (SQLException e) {
                throw new StoreException("database transaction failed: " + e.getMessage(), e);
            }
        }
        throw new StoreException("database transaction failed after " + MAX_TX_ATTEMPTS + " attempts: "
                + (last == null ? "" : last.getMessage()), last);
    }

    /** Runs read-only work on a pooled connection in auto-commit mode. */
    public <T> T read(TxWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException("database read failed: " + e.getMessage(), e);
        }
    }

    /** Readiness: empty when a trivial query answers within two seconds, else the problem. */
    public Optional<String> problem() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2) ? Optional.empty() : Optional.of("database connection is not valid");
        } catch (SQLException e) {
            return Optional.of("database unavailable: " + e.getMessage());
        }
    }

    /**
     * H2 keeps a process-wide cache of the strings and values it reads and writes ("h2.objectCache"), so that
     * equal ones share one object: every VARCHAR it reads or is given is hashed in full for it. orderwatch's
     * VARCHARs are mostly JSON documents of a few hundred characters that never repeat (a snapshot, an alert,
     * a ticket's facts), so the hashing was a tenth of the CPU of escalating tickets and saved nothing. H2 reads
     * the property once, when its classes first load (before the first connection); a value set on the command
     * line is kept.
     */
    private static void withoutH2ValueCache() {
        if (System.getProperty("h2.objectCache") == null) {
            System.setProperty("h2.objectCache", "false");
        }
    }

    private static boolean isRetryable(SQLException e) {
        String state = e.getSQLState();
        // 23505 unique violation (both), 40001 serialization failure, 40P01 deadlock (PostgreSQL)
        return "23505".equals(state) || "40001".equals(state) || "40P01".equals(state);
    }


    @Override
    public void close() {
        dataSource.close();
    }
}
