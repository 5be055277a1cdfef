package io.orderwatch.store;

import io.orderwatch.observe.LogText;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the state lives: an embedded H2 file database in the data dir by default, PostgreSQL (or any
 * JDBC URL Flyway knows) when {@code ORDERWATCH_DB_URL} says so.
 */
public record DbSettings(String url, String user, String password, int maxPoolSize) {

    public static DbSettings embedded(Path dataDir) {
        Path file = dataDir.toAbsolutePath().normalize().resolve("db").resolve("orderwatch");
        return new DbSettings("jdbc:h2:" + H2_FILE_SYSTEM + file + ";" + H2_OPTIONS + ";" + H2_DURABLE, "sa", "", 8);
    }

    /**
     * The embedded database's file system: H2's "async:", an AsynchronousFileChannel. With every commit
     * written by the committing thread itself (WRITE_DELAY=0), a plain FileChannel would be closed by an
     * interrupt of that thread (Camel interrupts its JMS consumers when it stops them), and H2 then
     * closes the whole database: at SIGTERM the scheduler's last writes failed with "The database has
     * been closed". The file is the same .mv.db as before.
     */
    static final String H2_FILE_SYSTEM = "async:";

    /**
     * Every commit of the embedded database is written to its file before the commit returns. H2's
     * default (WRITE_DELAY=500) keeps commits in memory for up to half a second, while the JMS message
     * that caused them is already acknowledged: a crash in between would lose the write and the
     * message. The write reaches the operating system, so it survives the process dying (kill -9); it
     * is not forced to the disk platter on every commit.
     */
    static final String H2_DURABLE = "WRITE_DELAY=0";

    /**
     * H2 speaking enough PostgreSQL that one set of migrations serves both. DB_CLOSE_ON_EXIT=FALSE:
     * H2's own shutdown hook would otherwise close the database while orderwatch's hook is still
     * stopping gracefully (jobs finishing, the outbox marking what it published); orderwatch closes
     * it last, itself. QUERY_CACHE_SIZE=128: each connection keeps its last 128 parsed statements (H2's
     * default is 8, fewer than the statements one delivery runs, so every statement was parsed again:
     * a tenth of the pipeline benchmark's CPU).
     */
    static final String H2_OPTIONS = "MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000;DB_CLOSE_ON_EXIT=FALSE;"
            + "QUERY_CACHE_SIZE=128";

    /** One line naming the variable when the settings cannot work, else empty. */
    public Optional<String> problem() {
        if (url == null || !url.startsWith("jdbc:")) {
            return Optional.of("ORDERWATCH_DB_URL must be a JDBC URL such as jdbc:postgresql://db:5432/orderwatch, got \"" + url + "\"");
        }
        if (!url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
            return Optional.of("ORDERWATCH_DB_URL must be a jdbc:postgresql: or jdbc:h2: URL, got \"" + LogText.mask(url) + "\"");
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "DbSettings[url=" + LogText.mask(url) + ", user=" + user + ", password=***]";
    }
}
