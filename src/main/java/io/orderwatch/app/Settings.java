package io.orderwatch.app;

import io.orderwatch.detect.StuckLimits;
import org.quartz.CronExpression;

import java.net.URI;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * orderwatch's settings, resolved from config/application.properties (whose values are bound to the
 * environment variables of the configuration contract) and checked before anything starts. Every
 * problem is one line naming the variable an operator sets.
 */
public final class Settings {

    private static final Pattern EMAIL = Pattern.compile("[^@\\s,;<>]+@[^@\\s,;<>]+");

    private final Function<String, Optional<String>> lookup;
    private final Map<String, String> env;
    private final Path home;
    private final List<String> problems = new ArrayList<>();

    private Settings(Path home, Function<String, Optional<String>> lookup, Map<String, String> env) {
        this.home = home;
        this.lookup = lookup;
        this.env = env;
    }

    /**
     * @param lookup resolves a property key to its value (placeholders already resolved)
     * @param env    the process environment, to tell a value set by the operator from a default
     */
    public static Settings of(Path home, Function<String, Optional<String>> lookup, Map<String, String> env) {
        return new Settings(home, lookup, env);
    }

    // ---- raw access -------------------------------------------------------------------

    public String get(String key, String fallback) {
        return lookup.apply(key).map(String::trim).filter(v -> !v.isEmpty()).orElse(fallback);
    }

    public String get(String key) {
        return get(key, "");
    }

    private boolean envSet(String variable) {
        String v = env.get(variable);
        return v != null && !v.isBlank();
    }

    // ---- where ------------------------------------------------------------------------

    public Path home() {
        return home;
    }

    public Path dataDir() {
        Path p = Path.of(get("orderwatch.data-dir", "./data"));
        return (p.isAbsolute() ? p : home.resolve(p)).normalize();
    }

    public Path outboxDir(String sink) {
        return dataDir().resolve("outbox").resolve(sink);
    }

    public Path configDir() {
        return home.resolve("config");
    }

    // ---- admin system -----------------------------------------------------------------

    /** No admin URL: the built-in simulator runs and orderwatch polls it. */
    public boolean demoMode() {
        return get("orderwatch.admin.url").isEmpty();
    }

    /** ORDERWATCH_DEMO=true: demo mode is meant, even with real sinks configured. */
    public boolean demoConfirmed() {
        return get("orderwatch.demo.enabled").equalsIgnoreCase("true");
    }

    /**
     * Where a listener binds: its setting (ORDERWATCH_HTTP_HOST, ORDERWATCH_MANAGEMENT_HOST,
     * ORDERWATCH_BROKER_BIND_HOST), 127.0.0.1 unless set; in demo mode always 127.0.0.1 (the
     * simulator's data, an API that may run without a token).
     */
    private String listenHost(String key) {
        return demoMode() ? "127.0.0.1" : get(key, "127.0.0.1");
    }

    public String httpHost() {
        return listenHost("orderwatch.http.host");
    }

    public String managementHost() {
        return listenHost("orderwatch.management.host");
    }

    public String brokerBindHost() {
        return listenHost("orderwatch.broker.bind-host");
    }

    /** True when only this host can reach an address: 127.0.0.0/8, ::1, localhost. */
    static boolean loopback(String host) {
        try {
            return java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    public String adminUrl() {
        return stripSlash(get("orderwatch.admin.url"));
    }

    public String adminToken() {
        return get("orderwatch.admin.token");
    }

    /** Base of the links in alerts; the admin URL unless ORDERWATCH_ADMIN_UI_URL says otherwise. */
    public String adminUiUrl(String effectiveAdminUrl) {
        return stripSlash(get("orderwatch.admin.ui-url", effectiveAdminUrl));
    }

    public int pollSeconds() {
        if (demoMode() && !envSet("ORDERWATCH_POLL_SECONDS")) {
            return positiveInt("orderwatch.demo.poll-seconds", "orderwatch.demo.poll-seconds", 5);
        }
        return positiveInt("orderwatch.poll.seconds", "ORDERWATCH_POLL_SECONDS", 60);
    }

    public int reevaluateSeconds() {
        if (demoMode()) {
            return positiveInt("orderwatch.demo.reevaluate-seconds", "orderwatch.demo.reevaluate-seconds", 10);
        }
        return positiveInt("orderwatch.stuck.reevaluate-seconds", "orderwatch.stuck.reevaluate-seconds", 60);
    }

    public int demoTickSeconds() {
        return positiveInt("orderwatch.demo.tick-seconds", "orderwatch.demo.tick-seconds", 3);
    }

    public Duration pollOverlap() {
        return duration("orderwatch.poll.overlap", "5m");
    }

    public int adminPageSize() {
        return positiveInt("orderwatch.admin.page-size", "orderwatch.admin.page-size", 500);
    }

    public Duration duration(String key, String fallback) {
        try {
            return StuckLimits.parseDuration(get(key, fallback), key);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return StuckLimits.parseDuration(fallback, key);
        }
    }

    // ---- team -------------------------------------------------------------------------

    public ZoneId teamZone() {
        String zone = get("orderwatch.timezone", "Europe/Moscow");
        try {
            return ZoneId.of(zone);
        } catch (DateTimeException e) {
            problems.add("ORDERWATCH_TIMEZONE must be an IANA zone such as Europe/Moscow, got \"" + zone + "\"");
            return ZoneId.of("Europe/Moscow");
        }
    }

    // ---- HTTP, API, management ----------------------------------------------------------

    public int httpPort() {
        return port("orderwatch.http.port", "ORDERWATCH_HTTP_PORT", 8080);
    }

    public int managementPort() {
        return port("orderwatch.management.port", "ORDERWATCH_MANAGEMENT_PORT", 9876);
    }

    public String apiToken() {
        return get("orderwatch.api.token");
    }

    // ---- broker, database ---------------------------------------------------------------

    public String brokerUrl() {
        return get("orderwatch.broker.url");
    }

    public int brokerPort() {
        return port("orderwatch.broker.port", "ORDERWATCH_BROKER_PORT", 61616);
    }

    public String dbUrl() {
        return get("orderwatch.db.url");
    }

    // ---- stuck orders -----------------------------------------------------------------

    public StuckLimits stuckLimits() {
        Map<String, String> raw = new LinkedHashMap<>();
        for (String key : propertyKeys("orderwatch.stuck.")) {
            raw.put(key.substring("orderwatch.stuck.".length()), get(key));
        }
        try {
            return StuckLimits.fromSettings(raw);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return StuckLimits.fromSettings(Map.of());
        }
    }

    private List<String> keys = List.of();

    /** The launcher hands over the property keys it knows, for prefix look-ups. */
    public Settings withKeys(List<String> keys) {
        this.keys = List.copyOf(keys);
        return this;
    }

    public List<String> propertyKeys(String prefix) {
        return keys.stream().filter(k -> k.startsWith(prefix)).sorted().toList();
    }

    // ---- e-mail -----------------------------------------------------------------------

    public String smtpHost() {
        return get("orderwatch.smtp.host");
    }

    public String mailFrom() {
        return get("orderwatch.mail.from", "orderwatch@localhost");
    }

    public String digestCron() {
        if (demoMode() && !envSet("DIGEST_CRON")) {
            return get("orderwatch.demo.digest-cron", "0/30 * * * * ?");
        }
        return get("orderwatch.digest.cron", "0 0 * * * ?");
    }

    /** CITY_DIGEST_CRON; in demo mode (unless it is set) a fast one, so the demo shows a city e-mail. */
    public String cityDigestCron() {
        if (demoMode() && !envSet("CITY_DIGEST_CRON")) {
            return get("orderwatch.demo.city-digest-cron", "5/20 * * * * ?");
        }
        return get("orderwatch.city-digest.cron", "0 0 9 * * ?");
    }

    public int digestMaxRows() {
        return positiveInt("orderwatch.digest.max-rows", "orderwatch.digest.max-rows", 200);
    }

    // ---- checks -------------------------------------------------------------------------

    /**
     * Everything that would make orderwatch misbehave, each as one line naming the variable. Checked
     * before the broker, the database or any route starts.
     */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        String admin = get("orderwatch.admin.url");
        if (!admin.isEmpty()) {
            httpUrlProblem("ORDERWATCH_ADMIN_URL", admin).ifPresent(out::add);
            if (apiToken().isEmpty()) {
                out.add("ORDERWATCH_API_TOKEN is required outside demo mode (ORDERWATCH_ADMIN_URL is set): "
                        + "it protects POST /api/v1/events and the API");
            }
        }
        String ui = get("orderwatch.admin.ui-url");
        if (!ui.isEmpty()) {
            httpUrlProblem("ORDERWATCH_ADMIN_UI_URL", ui).ifPresent(out::add);
        }
        String cron = digestCron();
        if (!CronExpression.isValidExpression(cron)) {
            out.add((demoMode() && !envSet("DIGEST_CRON") ? "orderwatch.demo.digest-cron" : "DIGEST_CRON")
                    + " is not a Quartz cron expression (second minute hour day month weekday), got \"" + cron + "\"");
        }
        String cityCron = cityDigestCron();
        if (!CronExpression.isValidExpression(cityCron)) {
            out.add("CITY_DIGEST_CRON is not a Quartz cron expression, got \"" + cityCron + "\"");
        }
        for (String address : addresses(get("orderwatch.digest.to"))) {
            if (!EMAIL.matcher(address).matches()) {
                out.add("DIGEST_TO has an address that is not an e-mail address: \"" + address + "\"");
            }
        }
        if (!EMAIL.matcher(mailFrom()).matches()) {
            out.add("MAIL_FROM is not an e-mail address: \"" + mailFrom() + "\"");
        }
        io.orderwatch.notify.email.MailSettings.problem(smtpHost(), get("orderwatch.smtp.port", "25"), get("orderwatch.smtp.user"),
                get("orderwatch.smtp.password"), get("orderwatch.smtp.security", "none")).ifPresent(out::add);
        if (!smtpHost().isEmpty() && !get("orderwatch.smtp.user").isEmpty()
                && get("orderwatch.smtp.security", "none").equalsIgnoreCase("none")
                && !get("orderwatch.smtp.allow-cleartext-auth", "false").equalsIgnoreCase("true")) {
            out.add("SMTP_SECURITY=none would send SMTP_USER's password in cleartext: set SMTP_SECURITY to starttls or tls "
                    + "(or orderwatch.smtp.allow-cleartext-auth=true for a server on a trusted network)");
        }
        if (!smtpHost().isEmpty() && addresses(get("orderwatch.digest.to")).isEmpty()) {
            out.add("DIGEST_TO is required when SMTP_HOST is set: whom should the stuck-order digest go to?");
        }
        String helpdesk = get("orderwatch.helpdesk.kind", "none").toLowerCase(Locale.ROOT);
        if (!List.of("none", "reference", "usedesk").contains(helpdesk)) {
            out.add("HELPDESK_KIND must be none, reference or usedesk, got \"" + helpdesk + "\"");
        } else if (!helpdesk.equals("none")) {
            if (get("orderwatch.helpdesk.token").isEmpty()) {
                out.add("HELPDESK_TOKEN is required when HELPDESK_KIND=" + helpdesk);
            }
            if (helpdesk.equals("reference") && get("orderwatch.helpdesk.url").isEmpty()) {
                out.add("HELPDESK_URL is required when HELPDESK_KIND=reference");
            }
            String url = get("orderwatch.helpdesk.url");
            if (!url.isEmpty()) {
                httpUrlProblem("HELPDESK_URL", url).ifPresent(out::add);
            }
        }
        String slackToken = get("orderwatch.slack.token");
        if (!slackToken.isEmpty() && !slackToken.startsWith("xox")) {
            out.add("SLACK_BOT_TOKEN must be a Slack bot token (xoxb-…)");
        }
        httpUrlProblem("SLACK_API_URL", get("orderwatch.slack.api-url", "https://slack.com/api")).ifPresent(out::add);
        // typed getters record their own problems as they are read
        teamZone();
        pollSeconds();
        reevaluateSeconds();
        httpPort();
        managementPort();
        brokerPort();
        pollOverlap();
        stuckLimits();
        digestMaxRows();
        demoWithRealSinksProblem().ifPresent(out::add);
        listenerProblems(out);
        if (httpPort() == managementPort()) {
            out.add("ORDERWATCH_HTTP_PORT and ORDERWATCH_MANAGEMENT_PORT must differ, both are " + httpPort());
        }
        for (String p : problems) {
            if (!out.contains(p)) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * Each bind host must be an address of this host; the embedded broker bound beyond loopback needs
     * credentials, which it then requires of every client (orderwatch's own connections included).
     */
    private void listenerProblems(List<String> out) {
        String[][] listeners = {
                {"orderwatch.http.host", "ORDERWATCH_HTTP_HOST", httpHost()},
                {"orderwatch.management.host", "ORDERWATCH_MANAGEMENT_HOST", managementHost()},
                {"orderwatch.broker.bind-host", "ORDERWATCH_BROKER_BIND_HOST", brokerBindHost()}};
        for (String[] l : listeners) {
            try {
                java.net.InetAddress address = java.net.InetAddress.getByName(l[2]);
                if (!address.isAnyLocalAddress() && !address.isLoopbackAddress() && java.net.NetworkInterface.getByInetAddress(address) == null) {
                    out.add(l[1] + " " + l[2] + " is not an address of this host (127.0.0.1 = this host only, 0.0.0.0 = every interface)");
                }
            } catch (java.io.IOException e) {
                out.add(l[1] + " " + l[2] + " is not an address of this host (127.0.0.1 = this host only, 0.0.0.0 = every interface)");
            }
        }
        String bind = brokerBindHost();
        if (brokerUrl().isEmpty() && !loopback(bind)
                && (get("orderwatch.broker.user").isEmpty() || get("orderwatch.broker.password").isEmpty())) {
            out.add("ORDERWATCH_BROKER_BIND_HOST=" + bind + " lets other hosts reach the embedded broker: set ORDERWATCH_BROKER_USER "
                    + "and ORDERWATCH_BROKER_PASSWORD (the broker then requires them of every client), or bind it to 127.0.0.1");
        }
    }

    /**
     * A missing or misspelt ORDERWATCH_ADMIN_URL starts demo mode: with a real sink configured that would
     * send the simulator's alerts to the real team, so it is refused unless ORDERWATCH_DEMO=true says so.
     */
    private Optional<String> demoWithRealSinksProblem() {
        if (!demoMode() || demoConfirmed()) {
            return Optional.empty();
        }
        List<String> real = new ArrayList<>();
        if (!smtpHost().isEmpty()) {
            real.add("SMTP_HOST");
        }
        if (!get("orderwatch.slack.token").isEmpty()) {
            real.add("SLACK_BOT_TOKEN");
        }
        if (!get("orderwatch.helpdesk.kind", "none").equalsIgnoreCase("none")) {
            real.add("HELPDESK_KIND");
        }
        if (real.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("ORDERWATCH_ADMIN_URL is not set, so this would be demo mode (the built-in simulator), but "
                + String.join(", ", real) + (real.size() == 1 ? " is" : " are")
                + " set and would receive demo alerts: set ORDERWATCH_ADMIN_URL, or ORDERWATCH_DEMO=true if demo mode is meant");
    }

    static Optional<String> httpUrlProblem(String variable, String value) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && !uri.getHost().isEmpty()) {
                return Optional.empty();
            }
        } catch (Exception ignored) {
            // reported below
        }
        return Optional.of(variable + " is not a valid http(s) URL: \"" + io.orderwatch.observe.LogText.mask(value) + "\"");
    }

    private int port(String key, String variable, int fallback) {
        String raw = get(key, String.valueOf(fallback));
        try {
            int port = Integer.parseInt(raw);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        String problem = variable + " must be a port number 1..65535, got \"" + raw + "\"";
        if (!problems.contains(problem)) {
            problems.add(problem);
        }
        return fallback;
    }

    private int positiveInt(String key, String variable, int fallback) {
        String raw = get(key, String.valueOf(fallback));
        try {
            int n = Integer.parseInt(raw);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        String problem = variable + " must be a positive whole number, got \"" + raw + "\"";
        if (!problems.contains(problem)) {
            problems.add(problem);
        }
        return fallback;
    }

    static List<String> addresses(String csv) {
        if (csv == null || csv.isBlank()) {
            return List.of();
        }
        return Arrays.stream(csv.split("[,;]")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
