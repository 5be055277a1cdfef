package io.orderwatch.app;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StartupStepsTest {

    @Test
    void stepsAreSaidInTheOrderTheyEndedInSecondsWithOneDecimal() {
        StartupSteps steps = new StartupSteps();
        steps.record("jvm", 180);
        steps.record("broker", 640);
        steps.record("database", 1049);
        steps.record("broker", 10);
        assertEquals("jvm 0.2 s, broker 0.7 s, database 1.0 s", steps.describe());
    }

    @Test
    void aFailingStepIsStillTimedAndItsFailurePassesThrough() {
        StartupSteps steps = new StartupSteps();
        assertThrows(StartupProblem.class, () -> steps.time("database", () -> {
            throw new StartupProblem("ORDERWATCH_DB_URL: refused");
        }));
        assertEquals(1, steps.millis().size());
    }
}
