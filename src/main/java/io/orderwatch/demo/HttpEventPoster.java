package io.orderwatch.demo;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/** Posts events one by one; what the intake does not take yet is kept (bounded) and retried. */
public final class HttpEventPoster implements java.util.function.Consumer<String> {
    private static final Logger LOG = LoggerFactory.getLogger(HttpEventPoster.class);
    private static final int MAX_KEPT = 10_000;
    private final URI url;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Deque<String> kept = new ArrayDeque<>();
    private long dropped;

    public HttpEventPoster(URI url, String token) {
        this.url = url;
        this.token = token;
    }

    @Override
    public synchronized void accept(String event) {
        kept.addLast(event);
        while (kept.size() > MAX_KEPT) {
            kept.removeFirst();
            dropped++;
            if (dropped % 1000 == 1) {
                LOG.warn("Event intake unreachable: dropped {} oldest simulated events", dropped);
            }
        }
        while (!kept.isEmpty()) {
            HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(kept.peekFirst()));
            if (!token.isBlank()) {
                b.header("Authorization", "Bearer " + token);
            }
            try {
                int status = http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status >= 500 || status == 429 || status == 404) {
                    return; // retry with the next event
                }
                kept.removeFirst();
            } catch (Exception e) {
                return;
            }
        }
    }
}
