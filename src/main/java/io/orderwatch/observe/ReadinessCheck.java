package io.orderwatch.observe;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
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
 *
 * <p>Checks of one {@link Group} (orderwatch's broker, database and admin API) are asked together: Camel
 * calls them one after another, so three dependencies away cost three waits, 6 s, before /observe/health
 * answered. The first one a request asks starts the others too, and each of them then takes the answer
 * so started, so all three are waited for at once: about 2 s. Each answer is read by one request only.
 */
public final class ReadinessCheck extends AbstractHealthCheck {

    static final Duration WAIT = Duration.ofSeconds(2);
    private static final Duration MIN_WAIT = Duration.ofMillis(200);
    /** How long after its start a check started for a request may still be read as that request's answer. */
    static final Duration FRESH = Duration.ofSeconds(4);

    /** Checks asked together (see the class comment). */
    public static final class Group {
        private final List<ReadinessCheck> checks = new CopyOnWriteArrayList<>();

        void kickOthers(ReadinessCheck asked) {
            for (ReadinessCheck c : checks) {
                if (c != asked) {
                    c.kick();
                }
            }
        }
    }

    private final Supplier<Optional<String>> problem;
    private final ExecutorService runner;
    private final Group group;
    private CompletableFuture<Optional<String>> running;
    /** {@link #running} was started (or is waited for) for the request under way and this check has not been asked in it yet. */
    private boolean kickedUnread;
    private long startedAt; // of running; guarded by this

    public ReadinessCheck(String id, Supplier<Optional<String>> problem) {
        this(id, problem, null);
    }

    public ReadinessCheck(String id, Supplier<Optional<String>> problem, Group group) {
        super("orderwatch", id);
        this.problem = problem;
        this.group = group;
        if (group != null) {
            group.checks.add(this);
        }
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

    /**
     * The first check of a request was asked: this one starts too, unless it is running (then this request
     * waits for that) or an answer started for this request is waiting to be read.
     */
    private synchronized void kick() {
        if (running != null && !running.isDone()) {
            kickedUnread = true;
            return;
        }
        if (running != null && kickedUnread && young()) {
            return;
        }
        running = run();
        kickedUnread = true;
    }

    /**
     * What this call waits for: the check running now, or the one the first check of this request started
     * if nobody has read it yet, or a new one.
     */
    private synchronized CompletableFuture<Optional<String>> own() {
        boolean reuse = running != null && (!running.isDone() || kickedUnread && young());
        if (!reuse) {
            running = run();
        }
        kickedUnread = false;
        return running;
    }

    /** Started recently enough to belong to the request being answered (a safeguard: Camel asks every check of a request). */
    private boolean young() {
        return System.nanoTime() - startedAt <= FRESH.toNanos();
    }

    private CompletableFuture<Optional<String>> run() {
        startedAt = System.nanoTime();
        return CompletableFuture.supplyAsync(problem, runner);
    }

    /** The supplier's answer, or the problem that it gave none within {@link #WAIT}. */
    Optional<String> answer() {
        boolean first;
        synchronized (this) {
            first = !kickedUnread; // nobody started this one for the request: it is the request's first check
        }
        if (group != null && first) {
            group.kickOthers(this);
        }
        CompletableFuture<Optional<String>> f;
        long waitNanos;
        synchronized (this) {
            f = own();
            // until WAIT after it started, not WAIT from now: a check a sibling started is already waited for
            // (at least a moment, so that one answering just now is heard)
            waitNanos = Math.max(MIN_WAIT.toNanos(), WAIT.toNanos() - (System.nanoTime() - startedAt));
        }
        try {
            return f.get(waitNanos, TimeUnit.NANOSECONDS);
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
