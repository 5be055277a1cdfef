package io.orderwatch.source;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A response body whose reads may not stall longer than the read timeout. The JDK client's request
 * timeout ends when the headers arrive, so an admin API that stops sending half way through a page
 * would hold the poller (and its cluster-wide trigger) for ever. Only time blocked inside {@code read}
 * counts: a slow consumer never trips it. On a stall a watchdog closes the underlying stream, which
 * ends the blocked read, and the reader gets an {@link HttpTimeoutException}, retried like any timeout.
 */
final class IdleTimeoutInputStream extends FilterInputStream {

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "orderwatch-admin-read-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final Duration timeout;
    private final ScheduledFuture<?> check;
    /** System.nanoTime() when the read under way began; 0 when none is. */
    private volatile long readingSince;
    private volatile boolean stalled;

    IdleTimeoutInputStream(InputStream in, Duration timeout) {
        super(in);
        this.timeout = timeout;
        long period = Math.max(10, Math.min(1000, timeout.toMillis() / 4));
        this.check = WATCHDOG.scheduleWithFixedDelay(this::check, period, period, TimeUnit.MILLISECONDS);
    }

    private void check() {
        long since = readingSince;
        if (since != 0 && System.nanoTime() - since > timeout.toNanos()) {
            stalled = true;
            check.cancel(false);
            try {
                in.close();
            } catch (IOException | RuntimeException ignored) {
                // the blocked reader is told either way
            }
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (stalled) {
            throw stalledException();
        }
        readingSince = Math.max(1, System.nanoTime());
        int n;
        try {
            n = in.read(b, off, len);
        } catch (IOException e) {
            if (stalled) {
                throw stalledException();
            }
            throw e;
        } finally {
            readingSince = 0;
        }
        if (stalled) {
            throw stalledException();
        }
        return n;
    }

    private HttpTimeoutException stalledException() {
        return new HttpTimeoutException("the response body stalled for more than " + timeout.toMillis() + " ms");
    }

    @Override
    public void close() throws IOException {
        check.cancel(false);
        super.close();
    }
}
