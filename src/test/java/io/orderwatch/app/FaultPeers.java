package io.orderwatch.app;

import io.orderwatch.notify.slack.SlackStub;
import io.orderwatch.notify.tickets.HelpdeskStub;
import io.orderwatch.store.Database;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The fault tests' peers and their one count: the admin-API stub, the Slack stub and the reference
 * helpdesk stub. A set of courier orders long past their planned delivery, each at a pharmacy of its own
 * chain, is one STUCK_ORDER alert each, and each alert is exactly one Slack post, one ticket and one
 * ticket note in the post's thread. {@link #check} compares what the stubs received with what was
 * detected and with the ledger: nothing lost, nothing twice.
 */
final class FaultPeers implements AutoCloseable {

    final io.orderwatch.testing.AdminStub admin;
    final SlackStub slack;
    final HelpdeskStub helpdesk;

    FaultPeers() throws java.io.IOException {
        admin = new io.orderwatch.testing.AdminStub();
        slack = new SlackStub();
        helpdesk = new HelpdeskStub("hd-secret");
    }

    @Override
    public void close() {
        admin.close();
        slack.close();
        helpdesk.close();
    }

    /** Outside demo mode against these stubs (TestApp.configuredOverrides), with Slack and the reference helpdesk. */
    java.util.Properties configured(java.nio.file.Path data) {
        java.util.Properties p = TestApp.configuredOverrides(data, admin.baseUrl());
        p.setProperty("orderwatch.slack.token", "xoxb-test-token");
        p.setProperty("orderwatch.slack.api-url", slack.url());
        // none by default; by id, as the README advises, so that a channel's very first post is found after a crash too
        p.setProperty("orderwatch.slack.channel.stuck", slack.channelId("#order-stuck"));
        p.setProperty("orderwatch.slack.post-pace", "100ms");
        p.setProperty("orderwatch.helpdesk.kind", "reference");
        p.setProperty("orderwatch.helpdesk.url", helpdesk.url());
        p.setProperty("orderwatch.helpdesk.token", "hd-secret");
        p.setProperty("orderwatch.tickets.escalate-ms", "1000");
        p.setProperty("orderwatch.tickets.pace", "100ms");
        p.setProperty("orderwatch.delivery.retry-initial", "1s");
        return p;
    }

    /** Pharmacies 0 .. {@code count - 1}, each of a chain of its own (known before their orders come, so no two alerts share a Slack message). */
    void stores(int count) {
        OffsetDateTime t0 = OffsetDateTime.now().minusMinutes(30);
        for (int i = 0; i < count; i++) {
            admin.store("st-" + i, "ch-" + i, "Сеть-" + i, "ACTIVE", t0);
        }
    }

    /** Orders {@code from} .. {@code from + count - 1}, order i at pharmacy i, three hours past their planned delivery. */
    void orders(int from, int count) {
        OffsetDateTime t0 = OffsetDateTime.now().minusMinutes(30);
        OffsetDateTime planned = OffsetDateTime.now().minusHours(3);
        for (int i = from; i < from + count; i++) {
            String id = String.valueOf(48240000 + i);
            admin.orderJson(id, t0, courierOrder(id, "st-" + i, planned, t0));
        }
    }

    /** As the admin API gives it: on its way to the customer, planned long ago (TicketFlowTest's order at a store of its own). */
    static String courierOrder(String id, String storeId, OffsetDateTime planned, OffsetDateTime updated) {
        return "{\"id\":\"" + id + "\",\"invoiceNumber\":\"ЛО-2611-" + id + "\",\"source\":\"app\",\"createdAt\":\"" + planned.minusDays(1)
                + "\",\"updatedAt\":\"" + updated + "\",\"status\":\"IN_DELIVERY\",\"statusChangedAt\":\"" + planned.minusHours(2)
                + "\",\"deliveryType\":\"COURIER\",\"plannedDeliveryAt\":\"" + planned + "\",\"storeId\":\"" + storeId + "\",\"region\":\"Москва\","
                + "\"city\":\"Москва\",\"customer\":{\"name\":\"Анна\",\"phone\":\"+79806561461\",\"email\":\"anna@example.org\"},"
                + "\"amount\":1874.5,\"items\":[{\"lineId\":\"1\",\"productId\":\"p-1\",\"name\":\"Нурофен\",\"quantity\":1,\"price\":1874.5,"
                + "\"storeSku\":\"S-1\",\"linkError\":null}],\"export\":{\"state\":\"ACKNOWLEDGED\",\"system\":\"SBIS\",\"attempts\":1,"
                + "\"lastAttemptAt\":\"" + planned.minusDays(1) + "\",\"error\":null},\"courier\":{\"service\":\"Сберлогистика\",\"trackingNumber\":\"TRK1\"}}";
    }

    /** True once the peers hold everything {@code alerts} alerts make (a post and a note in Slack, a ticket each). */
    boolean arrived(int alerts) {
        return helpdesk.tickets().size() >= alerts && slack.messages().size() >= 2 * alerts;
    }

    /** What the peers received against what was detected and what the ledger says. */
    void check(Database db, int alerts) {
        assertEquals(alerts, TestApp.count(db, "SELECT COUNT(*) FROM alert WHERE state = 'FIRING'"), "every alert was detected, no other: " + ledger(db));
        assertEquals(0, TestApp.count(db, "SELECT COUNT(*) FROM alert a WHERE NOT EXISTS (SELECT 1 FROM delivery d JOIN delivery_alert da "
                + "ON da.delivery_id = d.id WHERE da.fingerprint = a.fingerprint AND d.sink = 'slack' AND d.operation = 'post' AND d.state = 'SENT')"),
                "every alert has its Slack post sent: " + ledger(db));
        assertEquals(alerts, TestApp.count(db, "SELECT COUNT(*) FROM delivery WHERE sink = 'tickets' AND operation = 'ticket' AND state = 'SENT'"),
                "a ticket sent per alert: " + ledger(db));
        assertEquals(0, TestApp.count(db, "SELECT COUNT(*) FROM delivery WHERE state <> 'SENT'"), "nothing pending, failed or discarded: " + ledger(db));
        assertEquals(0, TestApp.count(db, "SELECT COUNT(*) FROM dead_letter"), "no broker message dead-lettered");
        List<String> markers = db.read(c -> {
            List<String> out = new ArrayList<>();
            try (var ps = c.prepareStatement("SELECT id FROM delivery WHERE sink = 'slack' AND operation <> 'update'"); var rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add("slack-" + rs.getLong(1));
                }
            }
            out.sort(null);
            return out;
        });
        assertEquals(markers, slack.messages().stream().map(SlackStub.Stored::marker).sorted().toList(),
                "each Slack delivery is exactly one message in Slack");
        assertEquals(2 * alerts, slack.messages().size(), "Slack holds a post per alert and a note per ticket, none twice");
        assertEquals(alerts, helpdesk.tickets().size(), "one ticket per alert");
        assertEquals(alerts, helpdesk.tickets().stream().map(t -> t.path("externalId").asText()).distinct().count(), "no ticket twice");
    }

    /** /observe/health with every check's state and message. */
    static java.net.http.HttpResponse<String> health(int managementPort) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                + managementPort + "/observe/health?exposureLevel=full")).timeout(java.time.Duration.ofSeconds(10)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    /** The ledger and the alert book in one line (sink/operation/state=count), for failure messages. */
    static String ledger(Database db) {
        try {
            return db.read(c -> {
                StringBuilder b = new StringBuilder();
                try (var ps = c.prepareStatement("SELECT sink, operation, state, COUNT(*) FROM delivery GROUP BY sink, operation, state ORDER BY 1, 2, 3");
                     var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        b.append(rs.getString(1)).append('/').append(rs.getString(2)).append('/').append(rs.getString(3)).append('=')
                                .append(rs.getLong(4)).append(' ');
                    }
                }
                try (var ps = c.prepareStatement("SELECT kind, state, COUNT(*) FROM alert GROUP BY kind, state"); var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        b.append("alert ").append(rs.getString(1)).append('/').append(rs.getString(2)).append('=').append(rs.getLong(3)).append(' ');
                    }
                }
                return b.toString().trim();
            });
        } catch (RuntimeException e) {
            return "(ledger unreadable: " + e.getMessage() + ")";
        }
    }
}
