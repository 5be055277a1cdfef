package io.orderwatch.observe;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProblemsTest {

    @Test
    void oneLineTakesTheFirstMessageAlongTheCausesAndOnlyItsFirstLine() {
        assertEquals("disk full", Problems.oneLine(new RuntimeException((String) null, new IOException("disk full\n\tat somewhere"))));
        assertEquals("outer", Problems.oneLine(new RuntimeException("outer", new IOException("inner"))));
        assertEquals("inner", Problems.oneLine(new InvocationTargetException(new IOException("inner"), "wrapper")));
        assertEquals("IllegalStateException", Problems.oneLine(new IllegalStateException()));
        assertEquals("", Problems.oneLine(null));
    }

    @Test
    void rootLineTakesTheInnermostCause() {
        assertEquals("Connection refused", Problems.rootLine(new RuntimeException("migration failed",
                new SQLException("could not connect", new IOException("Connection refused\nmore")))));
        assertEquals("SQLException", Problems.rootLine(new RuntimeException("x", new SQLException())));
    }
}
