package io.orderwatch.source;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RetainingInputStreamTest {

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('a' + i % 26);
        }
        return b;
    }

    private static String expected(long from, long to) {
        StringBuilder sb = new StringBuilder();
        for (long i = from; i < to; i++) {
            sb.append((char) ('a' + i % 26));
        }
        return sb.toString();
    }

    @Test
    void keepsFromTheMarkOnAcrossManyReadsAndForgetsWhatLiesBefore() throws IOException {
        RetainingInputStream in = new RetainingInputStream(new ByteArrayInputStream(bytes(1_000_000)));
        byte[] chunk = new byte[8000];
        long read = 0;
        long mark = 0;
        while (true) {
            int n = in.read(chunk, 0, chunk.length);
            if (n < 0) {
                break;
            }
            read += n;
            assertEquals(expected(mark, read), in.text(mark, read));
            mark = Math.max(0, read - 900); // a record starts a little before the read position
            in.markAt(mark);
        }
        assertEquals(1_000_000, read);
        assertNull(in.text(0, 10), "long forgotten");
    }

    @Test
    void aRecordLongerThanTheCapIsNotKept() throws IOException {
        RetainingInputStream in = new RetainingInputStream(new ByteArrayInputStream(bytes(RetainingInputStream.MAX_KEPT + 100_000)));
        in.markAt(0);
        byte[] chunk = new byte[1 << 16];
        long read = 0;
        for (int n; (n = in.read(chunk, 0, chunk.length)) > 0; ) {
            read += n;
        }
        assertNull(in.text(0, read));
        // what comes after the overflow is kept again
        assertEquals(RetainingInputStream.MAX_KEPT + 100_000, read);
    }

    @Test
    void singleBytesAndUtf8() throws IOException {
        byte[] text = "{\"name\":\"Аквалор\"}".getBytes(StandardCharsets.UTF_8);
        RetainingInputStream in = new RetainingInputStream(new ByteArrayInputStream(text));
        while (in.read() >= 0) {
            // read byte by byte
        }
        assertEquals("{\"name\":\"Аквалор\"}", in.text(0, text.length));
    }
}
