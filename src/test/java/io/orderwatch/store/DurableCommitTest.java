package io.orderwatch.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A commit of the embedded database is on disk when it returns: a JVM killed with SIGKILL right after
 * its commit (as after a JMS acknowledgement that follows it) loses nothing it committed.
 */
class DurableCommitTest {

    @TempDir
    Path data;

    @Test
    void aRowCommittedJustBeforeSigkillIsThereAfterRestart() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                Child.class.getName(), data.toString())
                .redirectErrorStream(true)
                .start();
        String committed = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("COMMITTED ")) {
                    committed = line.substring("COMMITTED ".length());
                    child.destroyForcibly(); // SIGKILL: no shutdown hook, no close, no background writer
                    break;
                }
            }
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(20, TimeUnit.SECONDS), "the child JVM did not die");
        }
        assertTrue(committed != null, "the child never committed");
        assertEquals(137, child.exitValue(), "killed by SIGKILL");

        String eventId = committed;
        try (Database db = Database.open(DbSettings.embedded(data))) {
            long rows = db.read(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM processed_event WHERE event_id = ?")) {
                    ps.setString(1, eventId);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getLong(1);
                    }
                }
            });
            assertEquals(1, rows, "the row committed before SIGKILL survived");
        }
    }

    /** Opens the embedded database in the given data dir, commits one row, says so, and waits to be killed. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            Database db = Database.open(DbSettings.embedded(Path.of(args[0])));
            db.inTransaction(c -> new ProcessedEvents().markNew(c, "warm-up", "ORDER_UPSERTED", OffsetDateTime.now(ZoneOffset.UTC)));
            // not waiting for an outcome: past H2's default write delay (500 ms), so that whatever the
            // migration and the warm-up left unwritten is written now, and the commit below is the only
            // one a delayed writer would still hold in memory
            Thread.sleep(1000);
            String id = "e-" + System.nanoTime();
            db.inTransaction(c -> new ProcessedEvents().markNew(c, id, "ORDER_UPSERTED", OffsetDateTime.now(ZoneOffset.UTC)));
            System.out.println("COMMITTED " + id);
            System.out.flush();
            System.in.read(); // the parent kills this JVM; it never writes to its stdin
            db.close();
        }
    }
}
