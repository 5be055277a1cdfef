package io.orderwatch.notify.tickets;

import java.util.List;

/** A ticket as orderwatch opens it, before a helpdesk's own format. {@code externalId} is the alert's fingerprint. */
public record Ticket(String externalId, String category, String subject, String body, String phone, String customerName, String orderId,
                     String priority, List<String> tags, String usedeskType) {}
