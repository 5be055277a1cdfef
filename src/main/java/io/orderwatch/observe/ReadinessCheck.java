package io.orderwatch.observe;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A readiness check over one dependency (broker, database, admin API): DOWN with the problem as its
 * message when the supplier reports one. The message carries no secrets.
 *
 * <p>Bounded in time: a supplier that does not answer within {@link #WAIT} (a database that is away
 * makes the pool wait its connection timeout, 10 s) counts as DOWN "no answer within 2 s", so that
 * /observe/health answers at once during an outage. A check still running is waited for again by the
 * next call, not started a second time.
 */
public final class ReadinessCheck extends AbstractHealthCheck {

    static final Duration WAIT = Duration.ofSeconds(2);

    private final Supplier<Optional<String>> problem;
    private final ExecutorService runner;
    private CompletableFuture<Optional<String>> running;

    public ReadinessCheck(String id, Supplier<Optional<String>> problem) {
        super("orderwatch", id);
        this.problem = problem;
        this.runner = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "readiness-" + id);
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Optional<String> p = answer();
        if (p.isPresent()) {
            builder.down().message(p.get());
        } else {
            builder.up();
        }
    }

    /** The supplier's answer, or the problem that it gave none within {@link #WAIT}. */
    Optional<String> answer() {
        CompletableFuture<Optional<String>> f;
        synchronized (this) {
            if (running == null || running.isDone()) {
                running = CompletableFuture.supplyAsync(problem, runner);
            }
            f = running;
        }
        try {
            return f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return Optional.of("no answer within " + WAIT.toSeconds() + " s");
        } catch (ExecutionException e) {
            return Optional.of(Problems.oneLine(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }
}
