package io.orderwatch.model;

/** Why the last export attempt failed. */
public record ExportError(String code, String message) {

    /** "TIMEOUT: no response from pharmacy system in 30 s", as operators read it. */
    public String describe() {
        if (code == null) {
            return message;
        }
        return message == null || message.isBlank() ? code : code + ": " + message;
    }
}
