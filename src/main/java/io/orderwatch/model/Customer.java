package io.orderwatch.model;

/** The customer who placed the order. Personal data: the phone is shown in full only where an operator needs it. */
public record Customer(String name, String phone, String email) {

    /** "+79806561461" becomes "+7980*****61": enough to match a call, not enough to leak. */
    public static String maskPhone(String phone) {
        if (phone == null || phone.isBlank()) {
            return phone;
        }
        int keepHead = Math.min(5, phone.length() / 2);
        int keepTail = Math.min(2, phone.length() - keepHead);
        return phone.substring(0, keepHead)
                + "*".repeat(phone.length() - keepHead - keepTail)
                + phone.substring(phone.length() - keepTail);
    }
}
