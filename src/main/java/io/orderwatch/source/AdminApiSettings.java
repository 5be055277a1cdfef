package io.orderwatch.source;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * How to reach the admin API. The token is never printed.
 *
 * @param maxAttempts attempts per request for transient failures (5xx, timeouts, refused connections)
 */
public record AdminApiSettings(URI baseUrl, String token, Duration connectTimeout, Duration readTimeout, int pageSize,
                               int maxAttempts, Duration backoff, Duration maxBackoff, Duration maxRetryAfter) {

    public static Optional<String> urlProblem(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return Optional.empty();
            }
        } catch (Exception ignored) {
            // reported below
        }
        return Optional.of("ORDERWATCH_ADMIN_URL is not a valid http(s) URL: \"" + url + "\"");
    }

    public boolean hasToken() {
        return token != null && !token.isBlank();
    }

    @Override
    public String toString() {
        return "AdminApiSettings[" + baseUrl + ", token=" + (hasToken() ? "***" : "none") + ", pageSize=" + pageSize + "]";
    }
}
