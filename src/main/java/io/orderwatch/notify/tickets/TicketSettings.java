package io.orderwatch.notify.tickets;

import io.orderwatch.notify.SinkConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The tickets sink's settings (orderwatch.helpdesk.*, orderwatch.tickets.*) and its escalation rules, in order. */
public record TicketSettings(String kind, String url, String token, Duration timeout, Duration pace, int inFlight, List<TicketRule> rules) {

    public static final String NONE = "none";
    public static final String REFERENCE = "reference";
    public static final String USEDESK = "usedesk";

    public boolean outbox() {
        return NONE.equals(kind);
    }

    /** @throws IllegalArgumentException naming the key or the template file that is wrong */
    public static TicketSettings from(SinkConfig c, Path templates) {
        String kind = c.get("orderwatch.helpdesk.kind", NONE).trim().toLowerCase(Locale.ROOT);
        if (kind.isEmpty()) {
            kind = NONE;
        }
        String url = c.get("orderwatch.helpdesk.url", "").trim();
        if (url.isEmpty() && USEDESK.equals(kind)) {
            url = "https://api.usedesk.ru";
        }
        List<TicketRule> rules = new ArrayList<>();
        for (String name : csv(c.get("orderwatch.tickets.rules", ""))) {
            rules.add(rule(c, name, templates));
        }
        String inFlight = c.get("orderwatch.tickets.in-flight", "4").trim();
        int n;
        try {
            n = Integer.parseInt(inFlight);
        } catch (NumberFormatException e) {
            n = 0;
        }
        if (n < 1 || n > 32) {
            throw new IllegalArgumentException("orderwatch.tickets.in-flight must be a whole number from 1 to 32, got \"" + inFlight + "\"");
        }
        return new TicketSettings(kind, url.replaceAll("/+$", ""), c.get("orderwatch.helpdesk.token", ""),
                c.duration("orderwatch.tickets.timeout", "20s"), c.duration("orderwatch.tickets.pace", "1s"), n, List.copyOf(rules));
    }

    static TicketRule rule(SinkConfig c, String name, Path templates) {
        String p = "orderwatch.tickets.rule." + name + ".";
        String after = c.get(p + "after", "").trim();
        Duration fixed = null;
        double factor = 0;
        if (after.endsWith("x-limit")) {
            try {
                factor = Double.parseDouble(after.substring(0, after.length() - "x-limit".length()).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(p + "after must be a duration (2h, 30m) or a multiple of the status limit (2x-limit), got \"" + after + "\"");
            }
        } else if (!after.isEmpty()) {
            fixed = c.duration(p + "after", after);
        } else {
            throw new IllegalArgumentException(p + "after is required: a duration (2h, 30m) or a multiple of the status limit (2x-limit)");
        }
        String template = c.get(p + "template", "").trim();
        if (template.isEmpty()) {
            throw new IllegalArgumentException(p + "template is required (a name in config/templates/tickets)");
        }
        String category = c.get(p + "category", "").trim();
        if (category.isEmpty()) {
            throw new IllegalArgumentException(p + "category is required");
        }
        String priority = c.get(p + "priority", "normal").trim().toLowerCase(Locale.ROOT);
        if (!TicketRule.PRIORITIES.contains(priority)) {
            throw new IllegalArgumentException(p + "priority must be one of " + TicketRule.PRIORITIES + ", got \"" + priority + "\"");
        }
        String usedeskType = c.get(p + "usedesk-type", "problem").trim();
        if (!List.of("question", "task", "problem", "incident").contains(usedeskType)) {
            throw new IllegalArgumentException(p + "usedesk-type must be question, task, problem or incident, got \"" + usedeskType + "\"");
        }
        Set<String> kinds = csv(c.get(p + "kinds", ""));
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException(p + "kinds is required (e.g. STUCK_ORDER)");
        }
        return new TicketRule(name, kinds, csv(c.get(p + "reasons", "")), csv(c.get(p + "delivery-types", "")), csv(c.get(p + "statuses", "")),
                csv(c.get(p + "chains", "")), csv(c.get(p + "regions", "")), fixed, factor, TicketTemplate.load(templates, template), category,
                priority, List.copyOf(csv(c.get(p + "tags", "orderwatch"))), usedeskType);
    }

    static Set<String> csv(String s) {
        Set<String> out = new LinkedHashSet<>();
        if (s != null) {
            Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).forEach(out::add);
        }
        return out;
    }

}
