package io.orderwatch.notify.email;

import io.orderwatch.notify.AlertInbox;
import io.orderwatch.notify.SinkContext;
import io.orderwatch.store.NotificationLog;
import io.orderwatch.store.SinkAlerts;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Composes the e-mail sink: SMTP or the outbox, its intake bean and the stuck-order digest. */
public final class EmailWiring {

    private EmailWiring() {}

    public static SinkContext.Wired wire(SinkContext ctx) {
        var c = ctx.config();
        SinkAlerts view = new SinkAlerts(ctx.db(), StuckDigestJob.SINK);
        String from = c.get("orderwatch.mail.from", "orderwatch@localhost");
        MailSettings mail = new MailSettings(c.get("orderwatch.smtp.host", ""), c.positiveInt("orderwatch.smtp.port", 25),
                c.get("orderwatch.smtp.user", ""), c.get("orderwatch.smtp.password", ""),
                MailSettings.parseSecurity(c.get("orderwatch.smtp.security", "none")), from, Duration.ofSeconds(10), Duration.ofSeconds(30));
        MailTransport transport = mail.configured() ? new SmtpMailTransport(mail) : new OutboxMailTransport(ctx.outbox("email"), ctx.clock());
        List<String> to = addresses(c.get("orderwatch.digest.to", ""));
        if (to.isEmpty()) {
            to = ctx.demo() ? addresses(c.get("orderwatch.demo.digest-to", "support-team@demo.orderwatch.local")) : List.of(from);
        }
        StuckDigest renderer = new StuckDigest(ctx.configDir().resolve("templates").resolve("email"), ctx.teamZone(), ctx.adminUiUrl(),
                c.positiveInt("orderwatch.digest.max-rows", 200));
        StuckDigestJob digest = new StuckDigestJob(ctx.db(), view, new NotificationLog(ctx.db()), renderer, transport, from, to, ctx.metrics(),
                ctx.clock());
        String announcement = transport instanceof OutboxMailTransport outbox
                ? "E-mail: no SMTP_HOST, e-mails are written to " + outbox.dir().toAbsolutePath()
                : "E-mail: " + transport.describe();
        AlertInbox inbox = new AlertInbox(view, ctx.clock());
        return new SinkContext.Wired(StuckDigestJob.SINK, Map.of("emailInbox", inbox, "stuckDigest", digest), inbox::accept, announcement);
    }

    static List<String> addresses(String csv) {
        if (csv == null || csv.isBlank()) {
            return List.of();
        }
        return Arrays.stream(csv.split("[,;]")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
