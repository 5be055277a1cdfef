package io.orderwatch.source;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Keeps the bytes read through it from a movable mark on, so that the exact text of the record a
 * parser is reading can still be had when that record turns out to be bad, without copying every
 * record aside first. Offsets are absolute positions in the stream, as Jackson's byte offsets are.
 *
 * <p>Only the bytes from the mark to the read position are held: the mark moves to each record's
 * start, so memory stays at about one record plus the parser's read-ahead, never the page. A record
 * longer than {@link #MAX_KEPT} is not kept at all ({@link #text} answers null for it).
 */
final class RetainingInputStream extends FilterInputStream {

    static final int MAX_KEPT = 8 << 20;

    private byte[] kept = new byte[1 << 16];
    private int keptLength;
    /** Absolute offset of {@code kept[0]}. */
    private long keptStart;
    /** Bytes before this absolute offset may be forgotten. */
    private long mark;

    RetainingInputStream(InputStream in) {
        super(in);
    }

    /** Bytes before {@code offset} are no longer needed. */
    void markAt(long offset) {
        mark = Math.max(mark, offset);
    }

    /**
     * The text between two absolute offsets, or null when part of it was already forgotten (before the
     * mark) or not read yet.
     */
    String text(long from, long to) {
        if (from < keptStart || to > keptStart + keptLength || from > to) {
            return null;
        }
        return new String(kept, (int) (from - keptStart), (int) (to - from), StandardCharsets.UTF_8);
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0 && makeRoom(1)) {
            kept[keptLength++] = (byte) b;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0 && makeRoom(n)) {
            System.arraycopy(b, off, kept, keptLength, n);
            keptLength += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // skipped bytes must still be kept: read them instead
        byte[] sink = new byte[(int) Math.min(n, 8192)];
        int r = read(sink, 0, sink.length);
        return Math.max(r, 0);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int readlimit) {
        // not supported; see markAt for this stream's own mark
    }

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("reset is not supported");
    }

    /**
     * Makes room for {@code n} more bytes: first forgets what lies before the mark, then grows. When the
     * window would pass {@link #MAX_KEPT}, forgets it whole and keeps nothing of these bytes (false).
     */
    private boolean makeRoom(int n) {
        if (keptLength + n <= kept.length) {
            return true;
        }
        int drop = (int) Math.min(Math.max(mark - keptStart, 0), keptLength);
        if (drop > 0) {
            System.arraycopy(kept, drop, kept, 0, keptLength - drop);
            keptLength -= drop;
            keptStart += drop;
        }
        if (keptLength + n > MAX_KEPT) {
            keptStart += keptLength + n;
            keptLength = 0;
            return false;
        }
        if (keptLength + n > kept.length) {
            kept = Arrays.copyOf(kept, Math.min(MAX_KEPT, Math.max(kept.length * 2, keptLength + n)));
        }
        return true;
    }
}
