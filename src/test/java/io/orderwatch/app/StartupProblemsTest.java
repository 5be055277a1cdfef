package io.orderwatch.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad configuration stops start-up with one line naming the setting; nothing is started half-way. */
class StartupProblemsTest {

    @TempDir
    Path data;

    private StartupProblem problem(Map<String, String> props) {
        Properties p = TestApp.demoOverrides(data);
        props.forEach(p::setProperty);
        StartupProblem e = assertThrows(StartupProblem.class, () -> Orderwatch.create(Path.of("."), Map.of(), p).stop());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertFalse(e.getMessage().contains("Exception"), "no stack-trace talk: " + e.getMessage());
        return e;
    }

    @Test
    void unparseableAdminUrl() {
        StartupProblem e = problem(Map.of("orderwatch.admin.url", "htp:/x", "orderwatch.api.token", "t"));
        assertTrue(e.getMessage().startsWith("ORDERWATCH_ADMIN_URL is not a valid http(s) URL"), e.getMessage());
    }

    @Test
    void apiTokenRequiredOutsideDemoMode() {
        StartupProblem e = problem(Map.of("orderwatch.admin.url", "http://arm.example.org"));
        assertTrue(e.getMessage().startsWith("ORDERWATCH_API_TOKEN is required"), e.getMessage());
    }

    @Test
    void configuredMailSinkNeedsRecipients() {
        StartupProblem e = problem(Map.of("orderwatch.smtp.host", "smtp.example.org"));
        assertTrue(e.getMessage().startsWith("DIGEST_TO is required when SMTP_HOST is set"), e.getMessage());
    }

    @Test
    void smtpUserWithoutPassword() {
        StartupProblem e = problem(Map.of("orderwatch.smtp.host", "smtp.example.org", "orderwatch.digest.to", "team@example.org",
                "orderwatch.smtp.user", "bot"));
        assertTrue(e.getMessage().startsWith("SMTP_PASSWORD is required when SMTP_USER is set"), e.getMessage());
    }

    @Test
    void helpdeskNeedsItsToken() {
        StartupProblem e = problem(Map.of("orderwatch.helpdesk.kind", "usedesk"));
        assertTrue(e.getMessage().startsWith("HELPDESK_TOKEN is required when HELPDESK_KIND=usedesk"), e.getMessage());
    }

    @Test
    void demoModeWithARealSinkIsRefusedUnlessMeant() {
        StartupProblem mail = problem(Map.of("orderwatch.smtp.host", "smtp.example.org", "orderwatch.digest.to", "team@example.org"));
        assertTrue(mail.getMessage().startsWith("ORDERWATCH_ADMIN_URL is not set, so this would be demo mode"), mail.getMessage());
        assertTrue(mail.getMessage().contains("SMTP_HOST is set") && mail.getMessage().contains("ORDERWATCH_DEMO=true"), mail.getMessage());
        StartupProblem all = problem(Map.of("orderwatch.slack.token", "xoxb-1", "orderwatch.helpdesk.kind", "reference",
                "orderwatch.helpdesk.url", "http://127.0.0.1:9", "orderwatch.helpdesk.token", "t"));
        assertTrue(all.getMessage().contains("SLACK_BOT_TOKEN, HELPDESK_KIND are set"), all.getMessage());
    }

    @Test
    void demoModeWithARealSinkStartsWhenMeant() {
        Properties p = TestApp.demoOverrides(data);
        p.setProperty("orderwatch.smtp.host", "127.0.0.1");
        p.setProperty("orderwatch.smtp.port", String.valueOf(TestPorts.free()));
        p.setProperty("orderwatch.digest.to", "team@example.org");
        p.setProperty("orderwatch.demo.enabled", "true");
        Orderwatch.create(Path.of("."), Map.of(), p).stop();
    }

    @Test
    void smtpAuthOverACleartextConnectionIsRefusedUnlessAllowed() {
        Map<String, String> cleartext = Map.of("orderwatch.admin.url", "http://arm.example.org", "orderwatch.api.token", "t",
                "orderwatch.smtp.host", "smtp.example.org", "orderwatch.digest.to", "team@example.org",
                "orderwatch.smtp.user", "bot", "orderwatch.smtp.password", "pw");
        StartupProblem e = problem(cleartext);
        assertTrue(e.getMessage().startsWith("SMTP_SECURITY=none would send SMTP_USER's password in cleartext"), e.getMessage());

        Properties allowed = TestApp.demoOverrides(data);
        cleartext.forEach(allowed::setProperty);
        allowed.setProperty("orderwatch.smtp.allow-cleartext-auth", "true");
        Preflight.settings(Path.of("."), Map.of(), allowed); // no problem
        Properties tls = TestApp.demoOverrides(data);
        cleartext.forEach(tls::setProperty);
        tls.setProperty("orderwatch.smtp.security", "starttls");
        Preflight.settings(Path.of("."), Map.of(), tls);
    }

    @Test
    void aUrlInAStartupProblemHasNoPassword() {
        StartupProblem e = problem(Map.of("orderwatch.admin.url", "htp://ow:s3cret@arm.example.org", "orderwatch.api.token", "t"));
        assertTrue(e.getMessage().startsWith("ORDERWATCH_ADMIN_URL is not a valid http(s) URL"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
    }

    @Test
    void badValuesNameTheirVariable() {
        assertTrue(problem(Map.of("orderwatch.timezone", "Mars/Olympus")).getMessage().startsWith("ORDERWATCH_TIMEZONE"));
        assertTrue(problem(Map.of("orderwatch.smtp.security", "ssl")).getMessage().startsWith("SMTP_SECURITY must be none, starttls or tls"));
        assertTrue(problem(Map.of("orderwatch.http.port", "80a")).getMessage().startsWith("ORDERWATCH_HTTP_PORT must be a port number"));
        assertTrue(problem(Map.of("orderwatch.broker.url", "artemis:61616")).getMessage().startsWith("ORDERWATCH_BROKER_URL is not a valid broker URL"));
        assertTrue(problem(Map.of("orderwatch.db.url", "postgres://db/x")).getMessage().startsWith("ORDERWATCH_DB_URL must be a JDBC URL"));
        assertTrue(problem(Map.of("orderwatch.stuck.limit.EXPORTED", "soon")).getMessage().startsWith("orderwatch.stuck.limit.EXPORTED"));
        assertTrue(problem(Map.of("orderwatch.retention.processed-events", "30 days")).getMessage()
                .startsWith("orderwatch.retention.processed-events must be a positive duration"));
        assertTrue(problem(Map.of("orderwatch.retention.cron", "hourly")).getMessage().startsWith("orderwatch.retention.cron"));
        // a sink's own setting, read after the general ones were checked, stops start-up too
        assertTrue(problem(Map.of("orderwatch.slack.group-window", "ten minutes")).getMessage()
                .startsWith("orderwatch.slack.group-window: expected a duration"));
    }

    @Test
    void portInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            StartupProblem e = problem(Map.of("orderwatch.http.port", String.valueOf(taken.getLocalPort())));
            assertTrue(e.getMessage().startsWith("ORDERWATCH_HTTP_PORT " + taken.getLocalPort() + " is already in use"), e.getMessage());
        }
        try (ServerSocket taken = new ServerSocket(0)) {
            StartupProblem e = problem(Map.of("orderwatch.broker.port", String.valueOf(taken.getLocalPort())));
            assertTrue(e.getMessage().startsWith("ORDERWATCH_BROKER_PORT " + taken.getLocalPort() + " is already in use"), e.getMessage());
        }
    }

    @Test
    void missingConfigFolder(@TempDir Path emptyHome) {
        StartupProblem e = assertThrows(StartupProblem.class, () -> Orderwatch.create(emptyHome, Map.of(), new Properties()));
        assertTrue(e.getMessage().startsWith("no configuration at "), e.getMessage());
        assertTrue(e.getMessage().contains("ORDERWATCH_HOME"), e.getMessage());
    }
}
