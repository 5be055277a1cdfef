package io.orderwatch.notify.slack;

import io.orderwatch.notify.SinkContext;
import io.orderwatch.store.SinkAlerts;

import java.util.Map;

/** Composes the Slack sink: its settings, the Web API or the outbox, its intake bean, its lanes in the delivery core. */
public final class SlackWiring {

    private SlackWiring() {}

    public static SinkContext.Wired wire(SinkContext ctx) {
        SlackSettings s = SlackSettings.from(ctx.config());
        SlackApi api = s.outbox() ? new OutboxSlackApi(ctx.outbox(SlackSink.SINK), ctx.clock()) : new SdkSlackApi(s.apiUrl(), s.token(), s.timeout());
        SlackMessages messages = new SlackMessages(ctx.adminUiUrl(), ctx.teamZone(), s.maxLines(), s.listLink());
        SlackSink sink = new SlackSink(ctx.db(), new SinkAlerts(ctx.db(), SlackSink.SINK), ctx.ledger(), s, messages, api, ctx.clock());
        ctx.dispatcher().register(SlackSink.SINK, sink, s.workers());
        // a ticket opened for an alert is named in the alert's Slack thread
        ctx.dispatcher().onSent(sink::deliverySent);
        StringBuilder routes = new StringBuilder();
        s.routing().byKind().entrySet().stream().filter(e -> !e.getValue().isBlank()).sorted(Map.Entry.comparingByKey())
                .forEach(e -> routes.append(routes.length() == 0 ? "" : ", ").append(e.getKey()).append(" → ").append(e.getValue()));
        return new SinkContext.Wired(SlackSink.SINK, Map.of("slackSink", sink), sink::accept, sink::acceptAll, "Slack: " + api.describe() + "; " + routes);
    }
}
