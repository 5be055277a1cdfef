package db.migration;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.sql.Statement;

/**
 * H2 only: delivery ids are taken from the identity's sequence 1,000 at a time instead of 32. H2 keeps
 * a sequence's next value in its schema and, whenever the cached range runs out, writes it in a commit
 * of its own (a whole MVStore chunk with WRITE_DELAY=0): escalating a backlog of tickets wrote one extra
 * chunk per 32 deliveries. An H2 sequence is one per database, so ids still grow in the order they are
 * taken, whatever the session; a crash only leaves a gap. Not on PostgreSQL: there a cache is per
 * session, and ids taken by two connections would no longer follow the order of their inserts (the
 * ledger sends a lane's deliveries by id).
 */
public class V13__h2_delivery_id_cache extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        if (!context.getConnection().getMetaData().getDatabaseProductName().startsWith("H2")) {
            return;
        }
        try (Statement s = context.getConnection().createStatement()) {
            s.execute("ALTER TABLE delivery ALTER COLUMN id SET CACHE 1000");
        }
    }
}
