package io.orderwatch.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * orderwatch's own counters, served on /observe/metrics beside Camel's route metrics, all named
 * {@code orderwatch_*}. Labels carry no personal data and no secrets: sources, kinds, sinks, outcomes.
 */
public final class Metrics {

    private final MeterRegistry registry;
    private final Map<String, Long> firing = new ConcurrentHashMap<>();
    private final Set<String> firingKinds = ConcurrentHashMap.newKeySet();

    public Metrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** For unit tests of beans that count things. */
    public static Metrics inMemory() {
        return new Metrics(new SimpleMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Orders read from a source ({@code poll}, {@code event}). */
    public void orderSeen(String source) {
        counter("orderwatch.orders.seen", "Orders read from the admin system or the event feed", "source", source).increment();
    }

    public void storeSeen() {
        counter("orderwatch.stores.seen", "Pharmacies read from the admin system").increment();
    }

    /** Records that failed validation and were quarantined. */
    public void rejected(String source) {
        counter("orderwatch.records.rejected", "Records that failed validation and were quarantined", "source", source).increment();
    }

    /** Findings from an integrator's route (direct:raise-finding) that failed validation, by the field named. */
    public void findingRejected(String field) {
        counter("orderwatch.findings.rejected", "Findings raised by a route that failed validation, by field", "field", field).increment();
    }

    /** Alert state changes written to the outbox. */
    public void alertChange(String kind, String state) {
        counter("orderwatch.alert.changes", "Alert state changes", "kind", kind, "state", state).increment();
    }

    /** Alert state changes published to the broker. */
    public void published() {
        counter("orderwatch.alert.events.published", "Alert state changes published to orderwatch.alerts").increment();
    }

    /**
     * One delivery attempt of a sink to a target (a channel, or the name of what is sent; never an
     * address): {@code sent}, {@code outbox}, {@code skipped}, {@code retry}, {@code failed}.
     */
    public void delivery(String sink, String target, String outcome) {
        counter("orderwatch.deliveries", "Deliveries by sink, target and outcome", "sink", sink, "target", target, "outcome", outcome)
                .increment();
    }

    public void pollFailed(String source) {
        counter("orderwatch.poll.failures", "Polls of the admin system that failed", "source", source).increment();
    }

    /** Keeps the firing-alerts gauge per kind current; kinds seen once stay listed (at 0 when clear). */
    public void firingAlerts(Map<String, Long> byKind) {
        for (String kind : byKind.keySet()) {
            if (firingKinds.add(kind)) {
                Gauge.builder("orderwatch.alerts.firing", firing, m -> m.getOrDefault(kind, 0L))
                        .description("Alerts currently FIRING, by kind").tag("kind", kind).register(registry);
            }
        }
        firing.keySet().retainAll(byKind.keySet());
        firing.putAll(byKind);
    }

    /** A gauge read on every scrape. */
    public void gauge(String name, String description, Supplier<Number> value, String... tags) {
        Gauge.builder(name, value).description(description).tags(tags).register(registry);
    }

    private Counter counter(String name, String description, String... tags) {
        return Counter.builder(name).description(description).tags(tags).register(registry);
    }
}
