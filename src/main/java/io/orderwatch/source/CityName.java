package io.orderwatch.source;

import java.util.Locale;

/**
 * One city counts once however customers typed it: case, ё/е, spaces and hyphens do not matter.
 * "Верхняя Пышма", "верхняя  пышма" and "Верхняя-Пышма" are the same city.
 */
public final class CityName {

    private static final Locale RU = Locale.forLanguageTag("ru");

    private CityName() {}

    /** The comparison key: lower case, ё as е, hyphens and runs of spaces as one space. */
    public static String normalise(String query) {
        if (query == null) {
            return "";
        }
        return query.toLowerCase(RU)
                .replace('ё', 'е')
                .replaceAll("[\\p{Pd}_]+", " ")
                .replaceAll("[\\s\\u00A0]+", " ")
                .trim();
    }

    /** A readable name from the key: "верхняя пышма" becomes "Верхняя Пышма". */
    public static String display(String key) {
        StringBuilder b = new StringBuilder(key.length());
        boolean upper = true;
        for (char ch : key.toCharArray()) {
            b.append(upper ? Character.toUpperCase(ch) : ch);
            upper = ch == ' ';
        }
        return b.toString();
    }
}
