package io.orderwatch.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * config/application.properties is UTF-8: a Russian value written there (a shift, a ticket category) reaches
 * every setting reader whole, although Camel's properties component reads the file as ISO-8859-1; a value
 * from the environment or an override, already a Java string, is left as it is.
 */
class SettingsEncodingTest {

    @TempDir
    Path home;

    @Test
    void russianValuesInThePropertiesFileArriveWhole() throws Exception {
        Files.createDirectories(home.resolve("config"));
        Files.createDirectories(home.resolve("routes"));
        Files.writeString(home.resolve("config").resolve("application.properties"), String.join("\n",
                "orderwatch.data-dir = " + home.resolve("data"),
                "orderwatch.digest.shift.first = Пн-Пт 09:00–16:00",
                "orderwatch.tickets.rule.x.category = Самовывоз — статус",
                "orderwatch.plain = plain",
                "orderwatch.from-env = {{env:OW_TEST_CITY:Тверь}}",
                ""), StandardCharsets.UTF_8);
        Properties overrides = new Properties();
        overrides.setProperty("orderwatch.override", "Café «Ёж»");
        Settings s = Preflight.settings(home, Map.of(), overrides);
        assertEquals("Пн-Пт 09:00–16:00", s.get("orderwatch.digest.shift.first", ""));
        assertEquals("Самовывоз — статус", s.get("orderwatch.tickets.rule.x.category", ""));
        assertEquals("plain", s.get("orderwatch.plain", ""));
        assertEquals("Тверь", s.get("orderwatch.from-env", ""));
        assertEquals("Café «Ёж»", s.get("orderwatch.override", ""));
        assertEquals("Café", Preflight.fromPropertiesFile("Café"), "Latin-1 that is not UTF-8 stays");
    }
}
