package io.orderwatch.source;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * One page of the admin API may not be larger than {@code maxBytes} nor take longer than {@code maxTime}
 * to read, however steadily it arrives. The idle timeout ends a body that stops; this ends a body that
 * never stops (a page streaming for ever, a proxy looping): the poll fails like a broken page, is
 * retried and counted, and the poller's cluster-wide trigger is not held for ever. What is read is
 * parsed record by record, so memory stays at one record whatever the page's length.
 */
final class PageLimitInputStream extends FilterInputStream {

    private final long maxBytes;
    private final long deadline;
    private final Duration maxTime;
    private long read;

    PageLimitInputStream(InputStream in, long maxBytes, Duration maxTime) {
        super(in);
        this.maxBytes = maxBytes;
        this.maxTime = maxTime;
        this.deadline = System.nanoTime() + maxTime.toNanos();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (System.nanoTime() - deadline > 0) {
            throw new AdminApiClient.PageFormatException("page not complete after " + maxTime.toSeconds() + " s (orderwatch.admin.max-page-time)");
        }
        int n = in.read(b, off, (int) Math.min(len, maxBytes + 1 - read));
        if (n > 0) {
            read += n;
            if (read > maxBytes) {
                throw new AdminApiClient.PageFormatException("page longer than " + maxBytes + " bytes (orderwatch.admin.max-page-bytes)");
            }
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buf = new byte[(int) Math.min(n, 8192)];
        int r = read(buf, 0, buf.length);
        return Math.max(r, 0);
    }
}
