package io.orderwatch.notify.email;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/** SMTP settings; an empty host means the outbox. toString never prints the password. */
public record MailSettings(String host, int port, String user, String password, Security security, String from,
                           Duration connectTimeout, Duration readTimeout, String trustStore, String trustStorePassword) {

    public MailSettings(String host, int port, String user, String password, Security security, String from,
                        Duration connectTimeout, Duration readTimeout) {
        this(host, port, user, password, security, from, connectTimeout, readTimeout, "", "");
    }

    public enum Security { NONE, STARTTLS, TLS }

    public boolean configured() {
        return host != null && !host.isBlank();
    }

    public boolean hasAuth() {
        return user != null && !user.isBlank();
    }

    /** Parses SMTP_SECURITY, or returns the one-line problem. */
    public static Security parseSecurity(String value) {
        try {
            return Security.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("SMTP_SECURITY must be none, starttls or tls, got \"" + value + "\"");
        }
    }

    public static Optional<String> problem(String host, String port, String user, String password, String security) {
        try {
            parseSecurity(security);
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
        try {
            int p = Integer.parseInt(port.trim());
            if (p < 1 || p > 65535) {
                return Optional.of("SMTP_PORT must be 1..65535, got \"" + port + "\"");
            }
        } catch (NumberFormatException e) {
            return Optional.of("SMTP_PORT must be 1..65535, got \"" + port + "\"");
        }
        if (host != null && !host.isBlank() && user != null && !user.isBlank() && (password == null || password.isEmpty())) {
            return Optional.of("SMTP_PASSWORD is required when SMTP_USER is set");
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "MailSettings[" + host + ":" + port + ", user=" + user + ", password=***, " + security + "]";
    }
}
