package io.orderwatch.notify.tickets;

import io.orderwatch.source.AdminApiClient;
import io.orderwatch.source.AdminApiSettings;
import io.orderwatch.testing.AdminStub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A ticket's fresh status read against the admin-API stub: what is read again, and what a read a moment ago answers. */
class AdminStatusTest {

    private final AdminStub admin = start();
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final AdminStatus status = new AdminStatus(new AdminApiClient(new AdminApiSettings(URI.create(admin.baseUrl()), null,
            Duration.ofSeconds(2), Duration.ofSeconds(2), 1000, 1, Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofMinutes(1))), nanos::get);
    private final OffsetDateTime t0 = OffsetDateTime.parse("2026-11-22T09:00:00+03:00");

    private static AdminStub start() {
        try {
            return new AdminStub();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void stop() throws Exception {
        admin.close();
    }

    private void order(String id, OffsetDateTime updatedAt, String status) {
        admin.orderJson(id, updatedAt, "{\"id\":\"" + id + "\",\"updatedAt\":\"" + updatedAt + "\",\"status\":\"" + status + "\"}");
    }

    @Test
    void asksWithinASecondOfARead() throws Exception {
        order("1", t0, "EXPORTED");
        order("2", t0.plusMinutes(1), "EXPORTED");
        assertEquals(Optional.of("EXPORTED"), status.statusOf("1", t0));
        assertEquals(1, status.reads());
        nanos.addAndGet(900_000_000L);
        assertEquals(Optional.of("EXPORTED"), status.statusOf("2", t0.plusMinutes(1)), "listed by the read 0.9 s ago");
        assertEquals(1, status.reads());

        order("2", t0.plusMinutes(2), "READY");
        nanos.addAndGet(200_000_000L);
        assertEquals(Optional.of("READY"), status.statusOf("2", t0.plusMinutes(1)), "1.1 s later: read again");
        assertEquals(2, status.reads());
    }

    @Test
    void aReadIsNotTrustedForWhatItCouldNotHaveListed() throws Exception {
        order("1", t0.plusMinutes(5), "EXPORTED");
        order("2", t0, "EXPORTED");
        assertEquals(Optional.of("EXPORTED"), status.statusOf("1", t0.plusMinutes(5)));
        assertEquals(1, status.reads());

        assertEquals(Optional.of("EXPORTED"), status.statusOf("2", t0), "that read began after order 2's version: read again");
        assertEquals(2, status.reads());

        order("1", t0.plusMinutes(7), "COMPLETED");
        assertEquals(Optional.of("COMPLETED"), status.statusOf("1", t0.plusMinutes(7)),
                "orderwatch has seen a later version than the last read listed: read again");
        assertEquals(3, status.reads());

        assertEquals(Optional.empty(), status.statusOf("3", t0), "an order no read listed is read for, and not found");
        assertEquals(4, status.reads());
        assertEquals(Optional.empty(), status.statusOf("3", null));
        assertEquals(5, status.reads(), "a read from a version on does not answer for 'every order'");
        assertEquals(Optional.of("EXPORTED"), status.statusOf("2", null), "a read of every order answers for every order");
        assertEquals(5, status.reads());
    }
}
