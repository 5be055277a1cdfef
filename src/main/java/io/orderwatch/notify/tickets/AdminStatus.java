package io.orderwatch.notify.tickets;

import io.orderwatch.model.Order;
import io.orderwatch.source.AdminApiClient;
import io.orderwatch.source.RecordSink;
import io.orderwatch.source.RejectedRecord;

import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * The order's status in the admin system at the moment a ticket is opened, read afresh over the admin
 * API. The reference API has no single-order read, so this reads the orders changed since the version
 * orderwatch last saw (that version is itself among them) and keeps the one asked for.
 */
final class AdminStatus implements TicketSink.FreshStatus {

    private final AdminApiClient client;

    AdminStatus(AdminApiClient client) {
        this.client = client;
    }

    @Override
    public Optional<String> statusOf(String orderId, OffsetDateTime seenUpdatedAt) {
        Order[] found = new Order[1];
        client.pollOrders(seenUpdatedAt, new RecordSink<>() {
            @Override
            public void accept(Order o) {
                if (orderId.equals(o.id()) && (found[0] == null || o.updatedAt() == null
                        || found[0].updatedAt() == null || !o.updatedAt().isBefore(found[0].updatedAt()))) {
                    found[0] = o;
                }
            }

            @Override
            public void reject(RejectedRecord r) {
                // a bad record is the poller's to quarantine
            }
        });
        return Optional.ofNullable(found[0]).map(o -> o.status() == null ? null : o.status().name());
    }
}
