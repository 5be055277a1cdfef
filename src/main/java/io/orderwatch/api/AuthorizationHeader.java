package io.orderwatch.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The API token is read from the Authorization header only. The HTTP server copies query parameters
 * into the same headers as the request's own, so {@code ?Authorization=Bearer …} would otherwise
 * authenticate too, and put the token into every access log and proxy log on the way.
 */
public final class AuthorizationHeader {

    private AuthorizationHeader() {}

    /**
     * @param header   the Authorization value the HTTP server made of the request (a list when it was
     *                 given more than once, by headers or the query)
     * @param rawQuery the request's query string, undecoded, or null
     * @return the value of the one Authorization header of the request, or null when there is none, when
     *         there are several, or when the query names an Authorization parameter (then the token is
     *         refused, not guessed at)
     */
    public static String fromHeaderOnly(Object header, String rawQuery) {
        if (!(header instanceof String value) || queryNamesAuthorization(rawQuery)) {
            return null;
        }
        return value;
    }

    static boolean queryNamesAuthorization(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return false;
        }
        for (String pair : rawQuery.split("[&;]")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String decoded;
            try {
                decoded = URLDecoder.decode(name, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException malformed) {
                decoded = name;
            }
            if (decoded.trim().toLowerCase(Locale.ROOT).equals("authorization")) {
                return true;
            }
        }
        return false;
    }
}
