package io.orderwatch.source;

import com.sun.net.httpserver.HttpServer;
import io.orderwatch.model.Order;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A page of the admin API is bounded in bytes and in time: one that crawls on for ever (never stalling
 * long enough for the idle timeout) fails at {@code max-page-time}; an item that is an array, however
 * long, is rejected from the bytes it came as, not copied token by token onto the heap.
 */
class PageLimitsTest {

    private HttpServer server;

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private AdminApiClient client(long maxBytes, Duration maxTime) {
        return new AdminApiClient(new AdminApiSettings(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), null,
                Duration.ofSeconds(2), Duration.ofSeconds(2), 100, 1, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMinutes(5),
                maxBytes, maxTime), d -> { });
    }

    private void serve(String path, Body body) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(path, ex -> {
            try (ex) {
                ex.sendResponseHeaders(200, 0);
                body.write(ex.getResponseBody());
            } catch (IOException | InterruptedException e) {
                // the client hung up
            }
        });
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    @FunctionalInterface
    private interface Body {
        void write(OutputStream out) throws IOException, InterruptedException;
    }

    private static final RecordSink<Order> IGNORE = new RecordSink<>() {
        @Override
        public void accept(Order record) {
        }

        @Override
        public void reject(RejectedRecord r) {
        }
    };

    @Test
    void aPageThatCrawlsOnForEverFailsAtTheMaximumPageTime() throws Exception {
        serve("/api/v1/orders", out -> {
            out.write("{\"items\":[".getBytes(StandardCharsets.UTF_8));
            while (true) {
                out.write(' ');
                out.flush();
                Thread.sleep(20); // the stub plays a peer that trickles; nobody waits on this for an outcome
            }
        });
        SourceUnavailableException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(SourceUnavailableException.class, () -> client(1 << 20, Duration.ofSeconds(1)).pollOrders(null, IGNORE)));
        assertTrue(e.getMessage().contains("page not complete after 1 s (orderwatch.admin.max-page-time)"), e.getMessage());
    }

    @Test
    void anArrayItemIsRejectedAsItCameAndAnEndlessOneIsCutAtTheMaximumPageSize() throws Exception {
        serve("/api/v1/orders", out -> {
            out.write("{\"items\":[[1,[2,\"три\"]],".getBytes(StandardCharsets.UTF_8));
            byte[] ones = "1,".repeat(64 * 1024).getBytes(StandardCharsets.UTF_8);
            out.write('[');
            while (true) {
                out.write(ones);
            }
        });
        List<RejectedRecord> rejected = new ArrayList<>();
        SourceUnavailableException e = assertThrows(SourceUnavailableException.class, () -> client(32 << 20, Duration.ofMinutes(1))
                .pollOrders(null, new RecordSink<>() {
                    @Override
                    public void accept(Order record) {
                    }

                    @Override
                    public void reject(RejectedRecord r) {
                        rejected.add(r);
                    }
                }));
        assertTrue(e.getMessage().contains("page longer than 33554432 bytes"), e.getMessage());
        assertEquals(1, rejected.size());
        assertEquals("[1,[2,\"три\"]]", rejected.get(0).rawJson());
        assertEquals("record is not a JSON object", rejected.get(0).reason());
    }
}
