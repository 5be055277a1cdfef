package io.orderwatch.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderwatch.alert.Alert;
import io.orderwatch.alert.AlertState;
import io.orderwatch.model.Json;
import io.orderwatch.notify.slack.SlackStub;
import io.orderwatch.store.AlertStore;
import io.orderwatch.store.StoredAlert;
import io.orderwatch.testing.AdminStub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The operator console in a real browser (Debian's chromium, headless, through chromedriver), against
 * orderwatch outside demo mode with an admin-API stub and a Slack stub: one start for every page. What a
 * shift lead sees is checked on each page, and a screenshot of each is saved under
 * target/console-screenshots/ for review.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {

    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path SHOTS = Path.of("target", "console-screenshots");
    private static final String HOSTILE = "<script>window.__pwned=1</script><img src=x onerror=window.__pwned=2>Аптека";

    private Path data;
    private Path profile;
    private AdminStub admin;
    private SlackStub slack;
    private Orderwatch orderwatch;
    private ChromeDriver browser;
    private String base;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        assumeTrue(Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM),
                "needs Debian's chromium and chromium-driver (.ci/run installs them)");
        data = Files.createTempDirectory("console-test");
        profile = Files.createTempDirectory("console-chromium");
        Files.createDirectories(SHOTS);
        admin = new AdminStub();
        slack = new SlackStub();
        OffsetDateTime t0 = OffsetDateTime.now().minusMinutes(30);
        admin.store("st-1", "ch-nevis", "Невис", "ACTIVE", t0);
        admin.store("st-2", "ch-evil", HOSTILE, "ACTIVE", t0);
        admin.order("48231192", "st-1", "FAILED", null, t0);
        admin.order("48231193", "st-2", "FAILED", null, t0);
        admin.order("48231194", "st-2", "SENT", "SKU не найден", t0);
        // the first post to Slack fails for good: a dead letter to replay from the page
        slack.script("chat.postMessage", SlackStub.Answer.error("not_in_channel"));
        Properties p = TestApp.configuredOverrides(data, admin.baseUrl());
        p.setProperty("orderwatch.slack.token", "xoxb-test-token");
        p.setProperty("orderwatch.slack.api-url", slack.url());
        // the digest on the team's shifts (config/application.properties, in Russian), as outside a test
        p.remove("orderwatch.digest.cron");
        orderwatch = Orderwatch.create(Path.of("."), Map.of(), p);
        orderwatch.start();
        base = "http://127.0.0.1:" + orderwatch.settings().httpPort();
        var db = orderwatch.wiring().database();
        pastAlerts(db);

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--lang=ru-RU", "--user-data-dir=" + profile);
        // the page's own console (errors, CSP reports) goes into the test's output when a page fails
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().window().setSize(new Dimension(1440, 1700));

        await().atMost(Duration.ofSeconds(60)).until(() -> TestApp.count(db,
                "SELECT COUNT(*) FROM alert WHERE kind = 'EXPORT_FAILED' AND state = 'FIRING'") == 2);
        await().atMost(Duration.ofSeconds(60)).until(() -> TestApp.count(db, "SELECT COUNT(*) FROM delivery WHERE state = 'FAILED'") == 1);
    }

    /** Four weeks of resolved alerts at office-like and night hours, so that the load page has something to show. */
    private static void pastAlerts(io.orderwatch.store.Database db) {
        AlertStore store = new AlertStore(db.dialect());
        // days and hours in the team's zone, as the load page counts them: a UTC date shifted by three hours
        // fell out of the four-week window between 21:00 and 24:00 UTC
        java.time.ZonedDateTime now = java.time.ZonedDateTime.now(java.time.ZoneId.of("Europe/Moscow"));
        String[] kinds = {"EXPORT_FAILED", "STUCK_ORDER", "ITEM_LINK_ERROR", "DELETED_STORE_ORDER"};
        db.inTransaction(c -> {
            for (int i = 0; i < 240; i++) {
                int day = i % 26 + 1; // a day inside the window: Moscow midnight may pass between this seed and the load page
                int hour = new int[] {10, 11, 14, 15, 21, 2, 8, 12, 19, 23}[i % 10];
                OffsetDateTime at = now.minusDays(day).withHour(hour).withMinute(i % 60).toOffsetDateTime().withOffsetSameInstant(ZoneOffset.UTC);
                String kind = kinds[(i * 7 + day) % kinds.length];
                Alert a = new Alert(kind + ":9" + i, kind, AlertState.RESOLVED, false, "9" + i, "st-1", "ch-nevis", "Москва", at, at, at,
                        at.plusMinutes(40), Map.of());
                store.save(c, new StoredAlert(a, 1, at.plusMinutes(40)));
            }
            return null;
        });
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (orderwatch != null) {
            orderwatch.stop();
        }
        if (admin != null) {
            admin.close();
        }
        if (slack != null) {
            slack.close();
        }
    }

    @Test
    @Order(1)
    void consoleFilesNeedNoTokenAndForbidInlineScriptAndOtherOrigins() throws Exception {
        HttpResponse<String> page = get("/", null);
        assertEquals(200, page.statusCode());
        assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElse(""));
        String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("script-src 'self'") && csp.contains("default-src 'none'") && !csp.contains("unsafe-inline"), csp);
        assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertTrue(page.body().contains("Сейчас"), page.body());
        assertFalse(page.body().contains("<script>"), "no inline script in the page");
        assertEquals("text/javascript; charset=utf-8", get("/console/console.js", null).headers().firstValue("Content-Type").orElse(""));
        assertEquals(404, get("/console/..%2Fapplication.properties", null).statusCode());
        assertEquals(404, get("/console/nothing.js", null).statusCode());
        // the console's own API calls stay behind the token
        assertEquals(401, get("/api/v1/console", null).statusCode());
        assertEquals(401, get("/api/v1/stats/load", null).statusCode());
        assertEquals(400, get("/api/v1/stats/load?weeks=99", "api-secret").statusCode());
    }

    @Test
    @Order(2)
    void nowListsWhatIsFiringAndShowsDataAsText() throws Exception {
        browser.get(base + "/");
        // asked once for the token, which then lives in this tab only
        WebElement field = waitFor(By.id("token"));
        field.sendKeys("api-secret");
        browser.findElement(By.cssSelector("#login-form button")).click();
        WebElement row = waitFor(By.cssSelector("tr[data-fingerprint='EXPORT_FAILED:48231192']"));
        assertTrue(row.getText().contains("48231192"), row.getText());
        assertTrue(row.getText().contains("Невис"), row.getText());
        WebElement counts = browser.findElement(By.id("counts"));
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.findElement(By.id("counts")).getText().contains("Заказы не переданы в аптеку"));
        assertTrue(counts.getText().contains("2"), counts.getText());
        // the pharmacy's name with markup in it is shown as the text it is, and nothing in it ran
        WebElement hostile = waitFor(By.cssSelector("tr[data-fingerprint='EXPORT_FAILED:48231193']"));
        assertTrue(hostile.getText().contains("<script>window.__pwned=1</script>"), hostile.getText());
        assertTrue(browser.findElements(By.cssSelector("#groups img")).isEmpty(), "no element made from data");
        assertNull(((JavascriptExecutor) browser).executeScript("return window.__pwned === undefined ? null : window.__pwned;"));
        assertEquals("api-secret", ((JavascriptExecutor) browser).executeScript("return sessionStorage.getItem('orderwatch.apiToken');"));
        assertFalse(browser.getCurrentUrl().contains("api-secret"));
        // filters: by chain
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("filter-chain"))).selectByValue("ch-nevis");
        assertTrue(browser.findElements(By.cssSelector("tr[data-fingerprint='EXPORT_FAILED:48231193']")).isEmpty());
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("filter-chain"))).selectByValue("");
        shot("1-now");
    }

    @Test
    @Order(3)
    void alertPageShowsFactsTimelineAndAdminLinks() throws Exception {
        browser.get(base + "/#/alert/" + "EXPORT_FAILED%3A48231192");
        WebElement timeline = waitFor(By.id("timeline"));
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.findElement(By.id("timeline")).getText().contains("Slack"));
        assertTrue(timeline.getText().contains("orderwatch заметил"), timeline.getText());
        assertTrue(timeline.getText().contains("Проблема началась"), timeline.getText());
        List<String> links = browser.findElements(By.cssSelector(".facts a")).stream().map(a -> a.getAttribute("href")).toList();
        assertTrue(links.contains("https://arm.example.org/orders/48231192"), links.toString());
        assertTrue(links.contains("https://arm.example.org/stores/st-1"), links.toString());
        shot("2-alert");
    }

    @Test
    @Order(4)
    void aSilenceCreatedFromThePageMutesTheAlert() throws Exception {
        browser.get(base + "/#/silences?orderId=48231192");
        // what it would mute is shown before it is saved
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.findElements(By.id("preview-count")).size() == 1
                && browser.findElement(By.id("preview-count")).getText().contains("Заглушит сейчас: 1"));
        assertTrue(browser.findElement(By.id("silence-preview")).getText().contains("48231192"));
        browser.findElement(By.id("silence-comment")).sendKeys("Сеть знает о сбое СБИС, чинят");
        browser.findElement(By.id("silence-who")).sendKeys("Долгих Наталия");
        browser.findElement(By.id("silence-save")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.findElement(By.id("silence-message")).getText().contains("сохранена"));
        JsonNode alerts = Json.mapper().readTree(get("/api/v1/alerts?orderId=48231192", "api-secret").body());
        assertTrue(alerts.path("items").path(0).path("muted").asBoolean(), alerts.toString());
        WebElement active = waitFor(By.id("silences-active"));
        assertTrue(active.getText().contains("Долгих Наталия") && active.getText().contains("заказ: 48231192"), active.getText());
        shot("3-silences");
        browser.get(base + "/#/now");
        WebElement row = waitFor(By.cssSelector("tr[data-fingerprint='EXPORT_FAILED:48231192']"));
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.findElement(By.cssSelector("tr[data-fingerprint='EXPORT_FAILED:48231192']"))
                .getText().contains("заглушено"));
        assertTrue(row.getAttribute("class").contains("muted"));
    }

    @Test
    @Order(5)
    void aDeadLetterReplayedFromThePageIsDelivered() throws Exception {
        int before = slack.messages().size();
        browser.get(base + "/#/deliveries");
        WebElement dead = waitFor(By.cssSelector("#dead-table tr[data-dead^='delivery-']"));
        assertTrue(dead.getText().contains("not_in_channel"), dead.getText());
        await().atMost(Duration.ofSeconds(10)).until(() -> !browser.findElements(By.cssSelector("#ledger-table tr[data-delivery]")).isEmpty());
        shot("4-deliveries");
        browser.findElement(By.cssSelector("#dead-table tr[data-dead^='delivery-'] button.replay")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.findElement(By.id("dead-message")).getText().contains("Отправлено снова"));
        await().atMost(Duration.ofSeconds(30)).until(() -> slack.messages().size() == before + 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.findElements(By.cssSelector("#dead-table tr[data-dead^='delivery-']")).isEmpty());
    }

    @Test
    @Order(6)
    void loadShowsAlertsByHourAgainstTheShifts() throws Exception {
        browser.get(base + "/#/load");
        WebElement heat = waitFor(By.id("heatmap"));
        assertEquals(8, heat.findElements(By.tagName("tr")).size(), "a header and seven weekdays");
        String summary = browser.findElement(By.id("load-summary")).getText();
        assertTrue(summary.contains("когда на смене никого"), summary);
        assertTrue(browser.findElements(By.cssSelector("#heatmap td.cell.off.hot")).size() > 0, "night alerts outside every shift are outlined");
        assertTrue(browser.findElement(By.id("by-day")).findElements(By.cssSelector(".bar")).size() >= 28);
        JsonNode load = Json.mapper().readTree(get("/api/v1/stats/load?weeks=4", "api-secret").body());
        assertTrue(load.path("total").asLong() >= 240, load.path("total").toString());
        assertEquals(2, load.path("onShift").path(0).path(12).asInt(), "Monday noon: the first and the middle shift");
        assertEquals(0, load.path("onShift").path(6).path(3).asInt(), "Sunday 03:00: nobody");
        shot("5-load");
    }

    @Test
    @Order(7)
    void aPageThatCannotReachTheApiSaysSoAndRetries() throws Exception {
        browser.get(base + "/#/now");
        waitFor(By.cssSelector("tr[data-fingerprint]"));
        orderwatch.stop();
        await().atMost(Duration.ofSeconds(15)).until(() -> browser.findElement(By.id("offline")).isDisplayed());
        assertTrue(browser.findElement(By.id("offline")).getText().startsWith("Нет связи с orderwatch"));
        shot("6-offline");
        orderwatch = null;
    }

    private WebElement waitFor(By by) {
        try {
            await().atMost(Duration.ofSeconds(15)).until(() -> !browser.findElements(by).isEmpty());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            browser.manage().logs().get("browser").forEach(l -> System.out.println("browser: " + l));
            System.out.println("page: " + browser.getPageSource());
            throw e;
        }
        return browser.findElement(by);
    }

    private void shot(String name) throws Exception {
        File f = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(f.toPath(), SHOTS.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
