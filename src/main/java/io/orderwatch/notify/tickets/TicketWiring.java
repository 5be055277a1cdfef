package io.orderwatch.notify.tickets;

import io.orderwatch.notify.SinkContext;
import io.orderwatch.store.SinkAlerts;

import java.nio.file.Path;
import java.util.Map;

/** Composes the tickets sink: its settings and rules, the helpdesk (reference, Usedesk or the outbox), its intake and escalation beans, its lane. */
public final class TicketWiring {

    private TicketWiring() {}

    public static SinkContext.Wired wire(SinkContext ctx) {
        Path templates = ctx.configDir().resolve("templates").resolve("tickets");
        TicketSettings s;
        try {
            s = TicketSettings.from(ctx.config(), templates);
        } catch (IllegalArgumentException e) {
            throw new io.orderwatch.app.StartupProblem(e.getMessage());
        }
        Helpdesk helpdesk = switch (s.kind()) {
            case TicketSettings.REFERENCE -> new ReferenceHelpdesk(s.url(), s.token(), s.timeout());
            case TicketSettings.USEDESK -> new UsedeskHelpdesk(s.url(), s.token(), s.timeout());
            default -> new OutboxHelpdesk(ctx.outbox(TicketSink.SINK));
        };
        TicketSink sink = new TicketSink(ctx.db(), new SinkAlerts(ctx.db(), TicketSink.SINK), ctx.ledger(), ctx.book(), s, helpdesk,
                new AdminStatus(ctx.admin()), ctx.teamZone(), ctx.adminUiUrl(), ctx.clock());
        ctx.dispatcher().register(TicketSink.SINK, sink, s.inFlight());
        StringBuilder rules = new StringBuilder();
        s.rules().forEach(r -> rules.append(rules.length() == 0 ? "" : ", ").append(r.name()));
        return new SinkContext.Wired(TicketSink.SINK, Map.of("ticketSink", sink), sink::accept, sink::acceptAll,
                "Helpdesk tickets: " + helpdesk.describe() + "; escalation rules: " + (rules.length() == 0 ? "none" : rules));
    }
}
