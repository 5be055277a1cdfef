package io.orderwatch.store;

import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import java.util.UUID;

/**
 * Quartz on the JDBC job store in orderwatch's own database, clustered: when several instances share
 * one database, each scheduled route (the pollers, re-evaluation, digests) runs on exactly one of them
 * at a time, and a digest missed while all were down fires once when one comes back.
 */
public final class ClusteredScheduler {

    private ClusteredScheduler() {}

    /** A scheduler (not started: camel-quartz starts it) whose job store is this database. */
    public static Scheduler create(Database db, String instanceName, int threads) throws SchedulerException {
        String dataSource = "orderwatch-" + UUID.randomUUID();
        DBConnectionManager.getInstance().addConnectionProvider(dataSource, new ConnectionProvider() {
            @Override
            public Connection getConnection() throws SQLException {
                return db.dataSource().getConnection();
            }

            @Override
            public void shutdown() {
                // the pool belongs to Database, which closes it
            }

            @Override
            public void initialize() {
                // nothing to do
            }
        });
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", instanceName);
        p.setProperty("org.quartz.scheduler.instanceId", "AUTO");
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.threadPool.threadCount", String.valueOf(threads));
        // a standing-by instance looks for due triggers this often: how fast it takes over from a stopped one
        p.setProperty("org.quartz.scheduler.idleWaitTime", "5000");
        p.setProperty("org.quartz.threadPool.makeThreadsDaemons", "true");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.driverDelegateClass", db.dialect() == Dialect.POSTGRES
                ? "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate" : "org.quartz.impl.jdbcjobstore.StdJDBCDelegate");
        p.setProperty("org.quartz.jobStore.dataSource", dataSource);
        p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
        p.setProperty("org.quartz.jobStore.isClustered", "true");
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval", "5000");
        p.setProperty("org.quartz.jobStore.misfireThreshold", "30000");
        p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        // after a database outage the scheduler tries again this soon (Quartz' default is 15 s), so that
        // polls resume within seconds of the database coming back
        p.setProperty("org.quartz.jobStore.dbRetryInterval", "2000");
        StdSchedulerFactory factory = new StdSchedulerFactory(p);
        Scheduler scheduler = factory.getScheduler();
        // Quartz hands out one scheduler per name within a JVM; every orderwatch instance needs its own
        // (the cluster is the database rows with this name), so it is not left in that repository
        org.quartz.impl.SchedulerRepository.getInstance().remove(instanceName);
        return scheduler;
    }
}
