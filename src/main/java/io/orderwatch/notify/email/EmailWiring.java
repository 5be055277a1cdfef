package io.orderwatch.notify.email;

import io.orderwatch.notify.SinkContext;
import io.orderwatch.store.SinkAlerts;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Composes the e-mail sink: its settings, SMTP or the outbox, its templates (checked at start-up), its
 * intake and scheduled e-mails, its lanes in the delivery core.
 */
public final class EmailWiring {

    private EmailWiring() {}

    public static SinkContext.Wired wire(SinkContext ctx) {
        var c = ctx.config();
        String from = c.get("orderwatch.mail.from", "orderwatch@localhost");
        MailSettings mail = new MailSettings(c.get("orderwatch.smtp.host", ""), c.positiveInt("orderwatch.smtp.port", 25),
                c.get("orderwatch.smtp.user", ""), c.get("orderwatch.smtp.password", ""),
                MailSettings.parseSecurity(c.get("orderwatch.smtp.security", "none")), from,
                c.duration("orderwatch.smtp.connect-timeout", "10s"), c.duration("orderwatch.smtp.timeout", "30s"),
                c.get("orderwatch.smtp.trust-store", ""), c.get("orderwatch.smtp.trust-store-password", ""));
        MailTransport transport = mail.configured() ? new SmtpMailTransport(mail) : new OutboxMailTransport(ctx.outbox(EmailSink.SINK), ctx.clock());
        List<String> digestTo = addresses(c.get("orderwatch.digest.to", ""));
        if (digestTo.isEmpty()) {
            digestTo = ctx.demo() ? addresses(c.get("orderwatch.demo.digest-to", "support-team@demo.orderwatch.local")) : List.of(from);
        }
        List<String> teamTo = addresses(c.get("orderwatch.team-mail.to", ""));
        if (teamTo.isEmpty()) {
            teamTo = digestTo;
        }
        // an explicit DIGEST_CRON (or the demo's schedule) wins over the shifts
        boolean explicitCron = ctx.demo() || !c.get("orderwatch.digest.cron", "").isBlank();
        ShiftSchedule shifts = explicitCron ? null : shifts(c);
        Duration compositionWait = ctx.demo() ? c.duration("orderwatch.demo.composition-window", "5s")
                : c.duration("orderwatch.team-mail.composition-window", "2m");
        EmailSink.Settings s = new EmailSink.Settings(from, digestTo, teamTo, shifts,
                Boolean.parseBoolean(c.get("orderwatch.digest.skip-empty", "true")), compositionWait,
                c.duration("orderwatch.mail.pace", "1s"), c.positiveInt("orderwatch.mail.workers", 2));
        MailTemplates templates = new MailTemplates(ctx.configDir().resolve("templates").resolve("email"));
        StuckDigest digest = new StuckDigest(templates, ctx.teamZone(), ctx.adminUiUrl(), c.positiveInt("orderwatch.digest.max-rows", 200));
        TeamMails team = new TeamMails(templates, ctx.teamZone(), ctx.adminUiUrl());
        EmailSink sink = new EmailSink(ctx.db(), new SinkAlerts(ctx.db(), EmailSink.SINK), ctx.ledger(), s, digest, team, transport,
                ctx.metrics(), ctx.teamZone(), ctx.clock());
        ctx.dispatcher().register(EmailSink.SINK, sink, s.workers());
        String announcement = (transport instanceof OutboxMailTransport outbox
                ? "E-mail: no SMTP_HOST, e-mails are written to " + outbox.dir().toAbsolutePath()
                : "E-mail: " + transport.describe())
                + (shifts == null ? "; stuck-order digest on its cron" : "; stuck-order digest hourly in the team's shifts");
        return new SinkContext.Wired(EmailSink.SINK, Map.of("emailSink", sink), sink::accept, sink::acceptAll, announcement);
    }

    /** orderwatch.digest.shift.<name> = Пн-Вт 09:00-16:00, ... */
    static ShiftSchedule shifts(io.orderwatch.notify.SinkConfig c) {
        Map<String, String> byKey = new LinkedHashMap<>();
        for (String key : c.keys("orderwatch.digest.shift.")) {
            String v = c.get(key, "");
            if (!v.isBlank()) {
                byKey.put(key, v);
            }
        }
        if (byKey.isEmpty()) {
            throw new IllegalArgumentException("orderwatch.digest.shift.* is empty and DIGEST_CRON is not set: when should the stuck-order digest go out?");
        }
        return ShiftSchedule.parse(byKey);
    }

    static List<String> addresses(String csv) {
        if (csv == null || csv.isBlank()) {
            return List.of();
        }
        return Arrays.stream(csv.split("[,;]")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
