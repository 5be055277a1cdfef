package io.orderwatch.notify.tickets;

import io.orderwatch.model.Json;
import io.orderwatch.notify.delivery.Outcome;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HELPDESK_KIND=none: each request the reference helpdesk API would get is written to
 * {@code <data dir>/outbox/tickets}, one JSON file per delivery, named so that they sort in the order
 * they were made. A repeated attempt rewrites the same file: still one ticket.
 */
public final class OutboxHelpdesk implements Helpdesk {

    private final Path dir;
    private final ReferenceHelpdesk format = new ReferenceHelpdesk("http://outbox", "", java.time.Duration.ofSeconds(1));

    public OutboxHelpdesk(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    @Override
    public String name() {
        return "outbox";
    }

    @Override
    public String describe() {
        return "no HELPDESK_KIND, tickets (the reference API's requests) are written to " + dir.toAbsolutePath();
    }

    @Override
    public HelpdeskCall ticket(Ticket t) {
        return format.ticket(t);
    }

    @Override
    public HelpdeskCall comment(String ticketId, String text) {
        return format.comment(ticketId, text);
    }

    @Override
    public Outcome send(long deliveryId, HelpdeskCall call, boolean inDoubt) {
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("method", call.method());
        file.put("path", call.path());
        file.put("body", call.body());
        String name = String.format("%08d-%s", deliveryId, call.operation());
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(name + ".json.tmp");
            Files.writeString(tmp, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(file), StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve(name + ".json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            return Outcome.Failed.transientFailure("ticket outbox " + dir + ": " + e.getMessage());
        }
        return new Outcome.Sent("outbox:OW-" + deliveryId);
    }
}
