package io.orderwatch.source;

import io.orderwatch.api.ApiAuth;
import io.orderwatch.api.HttpReply;
import io.orderwatch.broker.EventQueue;
import io.orderwatch.observe.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * POST /api/v1/events: one event or an array. 202 once every event of the body is durably queued on
 * orders.events; 400 naming the first bad event, and then none of the body is taken; 503 when the
 * broker cannot take them now (nothing taken: the sender retries).
 */
public final class EventIntake {

    private static final Logger LOG = LoggerFactory.getLogger(EventIntake.class);

    private final ApiAuth auth;
    private final EventQueue queue;
    private final Metrics metrics;

    public EventIntake(ApiAuth auth, EventQueue queue, Metrics metrics) {
        this.auth = auth;
        this.queue = queue;
        this.metrics = metrics;
    }

    public HttpReply receive(String body, String authorization) {
        if (!auth.allows(authorization)) {
            return HttpReply.unauthorized();
        }
        List<OrderEvent> events;
        try {
            events = EventParser.parseBody(body);
        } catch (BadEventException e) {
            metrics.rejected("events");
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("error", e.getMessage());
            error.put("index", e.index());
            error.put("eventId", e.eventId());
            return HttpReply.json(400, error);
        }
        List<String[]> raw = new ArrayList<>(events.size());
        for (OrderEvent e : events) {
            raw.add(new String[] {e.eventId(), e.raw()});
        }
        try {
            queue.enqueue(raw);
        } catch (Exception e) {
            LOG.warn("Event intake could not queue {} events: {}", events.size(), e.getMessage());
            return HttpReply.error(503, "the broker cannot take events right now; nothing was taken, retry later");
        }
        return HttpReply.json(202, Map.of("accepted", events.size()));
    }
}
