package io.orderwatch.observe;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A readiness check over one dependency (broker, database, admin API): DOWN with the problem as its
 * message when the supplier reports one. The message carries no secrets.
 */
public final class ReadinessCheck extends AbstractHealthCheck {

    private final Supplier<Optional<String>> problem;

    public ReadinessCheck(String id, Supplier<Optional<String>> problem) {
        super("orderwatch", id);
        this.problem = problem;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Optional<String> p;
        try {
            p = problem.get();
        } catch (RuntimeException e) {
            p = Optional.of(Problems.oneLine(e));
        }
        if (p.isPresent()) {
            builder.down().message(p.get());
        } else {
            builder.up();
        }
    }
}
