package io.orderwatch.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds what the intake and the API hold at once, before a body is read: at most {@code maxRequests}
 * requests in flight and at most {@code maxBodyBytes} of their bodies (a body counts with its
 * Content-Length, one without it as the largest body allowed). Camel's platform-http on Vert.x buffers
 * each body whole and queues requests for its workers without a bound, so without this a flood of large
 * posts fills the heap. A request over the bound is answered 503 with Retry-After at once; one request
 * alone is always let in (its body is still capped by camel.server.maxBodySize, 413).
 */
public final class RequestLimiter implements Handler<RoutingContext> {

    private static final Logger LOG = LoggerFactory.getLogger(RequestLimiter.class);
    private static final String BUSY = "{\"error\":\"слишком много запросов одновременно, повторите через секунду\"}";

    private final int maxRequests;
    private final long maxBodyBytes;
    private final long largestBody;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicLong bodyBytes = new AtomicLong();
    private final Counter refused;
    private final AtomicLong lastLogged = new AtomicLong();

    public RequestLimiter(int maxRequests, long maxBodyBytes, long largestBody, MeterRegistry registry) {
        this.maxRequests = maxRequests;
        this.maxBodyBytes = Math.max(maxBodyBytes, largestBody);
        this.largestBody = largestBody;
        this.refused = Counter.builder("orderwatch.http.refused").description("Requests answered 503 because too many were in flight")
                .register(registry);
    }

    /** Puts the limiter in front of every route of the router (the body handlers included). */
    public void install(Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this);
        LOG.debug("HTTP requests limited to {} in flight, {} bytes of bodies", maxRequests, maxBodyBytes);
    }

    @Override
    public void handle(RoutingContext ctx) {
        long body = charge(ctx.request());
        int inFlight = requests.incrementAndGet();
        long bytes = bodyBytes.addAndGet(body);
        if (inFlight > 1 && (inFlight > maxRequests || bytes > maxBodyBytes)) {
            requests.decrementAndGet();
            bodyBytes.addAndGet(-body);
            refused.increment();
            long now = System.nanoTime();
            long last = lastLogged.get();
            if ((last == 0 || now - last > 60_000_000_000L) && lastLogged.compareAndSet(last, now)) {
                LOG.warn("HTTP requests refused with 503: {} in flight, {} bytes of bodies (limits {} and {}; counted in orderwatch_http_refused_total)",
                        inFlight, bytes, maxRequests, maxBodyBytes);
            }
            ctx.response().setStatusCode(503).putHeader("Retry-After", "1").putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
                    .putHeader(HttpHeaders.CONNECTION, "close").end(BUSY);
            return;
        }
        AtomicInteger once = new AtomicInteger();
        ctx.addEndHandler(done -> {
            if (once.getAndIncrement() == 0) {
                requests.decrementAndGet();
                bodyBytes.addAndGet(-body);
            }
        });
        ctx.next();
    }

    private long charge(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            try {
                return Math.min(Math.max(0, Long.parseLong(length.trim())), largestBody);
            } catch (NumberFormatException e) {
                return largestBody;
            }
        }
        return request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null ? largestBody : 0;
    }
}
