package io.orderwatch.notify.slack;

import com.slack.api.model.block.ContextBlock;
import com.slack.api.model.block.HeaderBlock;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import com.slack.api.model.block.composition.PlainTextObject;
import com.slack.api.model.block.composition.TextObject;
import io.orderwatch.alert.Alert;
import io.orderwatch.alert.AlertKind;
import io.orderwatch.notify.Labels;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Russian Block Kit messages of the Slack sink, each with a plain-text fallback. One alert is a
 * message with its full details; a group (one kind, one chain, one channel, one window) is a count, the
 * first lines and "и ещё N", updated as it grows and as its alerts resolve. Everything from data is
 * escaped and cut; Slack's limits (50 blocks, 3000 characters a section, 150 a header) always hold.
 */
public final class SlackMessages {

    static final int MAX_BLOCKS = 50;
    static final int MAX_SECTION = 3000;
    static final int MAX_HEADER = 150;
    static final int MAX_FIELD = 2000;
    static final int MAX_FALLBACK = 3000;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("dd.MM HH:mm");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");

    private final String adminUiBase;
    private final ZoneId zone;
    private final int maxLines;
    private final String listLink;

    /**
     * @param listLink the admin list of a chain's orders, with {chainId} and {kind} in it, or empty for none
     */
    public SlackMessages(String adminUiBase, ZoneId zone, int maxLines, String listLink) {
        this.adminUiBase = adminUiBase == null ? "" : adminUiBase;
        this.zone = zone;
        this.maxLines = maxLines;
        this.listLink = listLink == null ? "" : listLink;
    }

    /** A message as Slack gets it: fallback text and blocks. */
    public record Rendered(String text, List<LayoutBlock> blocks) {}

    /** One line of a message: an alert as the message shows it. */
    public record Member(Alert alert, boolean resolved) {}

    /** The message of a group of alerts of one kind (one member: the full details of that alert). */
    public Rendered group(String kind, List<Member> members, Instant now) {
        if (members.size() == 1) {
            return single(members.get(0), now);
        }
        boolean allResolved = members.stream().allMatch(Member::resolved);
        long open = members.stream().filter(m -> !m.resolved()).count();
        Alert first = members.get(0).alert();
        String chain = chainName(first);
        String header = (allResolved ? "✅ " : "🔴 ") + Labels.kind(kind, true) + ": " + members.size()
                + (chain == null ? "" : " · " + SlackText.oneLine(chain));
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(header(header));
        StringBuilder summary = new StringBuilder();
        summary.append(allResolved ? "Все решены." : "Открыто: *" + open + "*, решено: *" + (members.size() - open) + "*.");
        String common = commonProblem(members);
        if (common != null) {
            summary.append("\n*У всех:* ").append(common);
        }
        OffsetDateTime since = members.stream().map(m -> m.alert().startedAt()).filter(Objects::nonNull).min(OffsetDateTime::compareTo)
                .orElse(null);
        if (since != null) {
            summary.append("\n*С* ").append(when(since)).append(" (").append(Labels.duration(Duration.between(since.toInstant(), now)))
                    .append(")");
        }
        blocks.add(section(summary.toString()));
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < members.size() && i < maxLines; i++) {
            lines.add(line(members.get(i), common != null));
        }
        // lines go into as few sections as their length allows, always within the block limit
        StringBuilder chunk = new StringBuilder();
        int shown = 0;
        for (String l : lines) {
            if (chunk.length() + l.length() + 1 > MAX_SECTION) {
                if (blocks.size() >= MAX_BLOCKS - 3) {
                    break;
                }
                blocks.add(section(chunk.toString()));
                chunk.setLength(0);
            }
            chunk.append(chunk.length() == 0 ? "" : "\n").append(l);
            shown++;
        }
        if (chunk.length() > 0) {
            blocks.add(section(chunk.toString()));
        }
        int more = members.size() - shown;
        List<String> context = new ArrayList<>();
        if (more > 0) {
            context.add("…и ещё " + more);
        }
        String list = chainListLink(kind, first.chainId());
        if (list != null) {
            context.add(list);
        }
        if (!context.isEmpty()) {
            blocks.add(context(String.join(" · ", context)));
        }
        String fallback = SlackText.escape(SlackText.oneLine(header)) + ". " + (allResolved ? "Все решены." : "Открыто: " + open + ".");
        return new Rendered(cut(fallback, MAX_FALLBACK), blocks);
    }

    private Rendered single(Member m, Instant now) {
        Alert a = m.alert();
        String title = Labels.kind(a.kind(), false);
        String subject = a.orderId() != null ? " · " + SlackText.oneLine(a.orderId())
                : a.details().get("city") != null ? ": " + SlackText.oneLine(String.valueOf(a.details().get("city"))) : "";
        String header = (m.resolved() ? "✅ " : "🔴 ") + title + subject;
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(header(header));
        List<String> fields = new ArrayList<>();
        Map<String, Object> d = a.details();
        if (a.orderId() != null) {
            fields.add("*Заказ*\n" + SlackText.link(orderUrl(a.orderId()), a.orderId()));
        }
        if (a.storeId() != null) {
            Object name = d.get("storeName") != null ? d.get("storeName") : a.storeId();
            fields.add("*Аптека*\n" + SlackText.link(storeUrl(a.storeId()), name));
        }
        String chain = chainName(a);
        if (chain != null) {
            fields.add("*Сеть*\n" + SlackText.value(chain));
        }
        if (a.region() != null) {
            fields.add("*Регион*\n" + SlackText.value(a.region()));
        }
        if (d.get("status") != null) {
            fields.add("*Статус*\n" + SlackText.value(Labels.status(String.valueOf(d.get("status")))));
        }
        if (d.get("deliveryType") != null) {
            fields.add("*Доставка*\n" + SlackText.value(Labels.deliveryType(String.valueOf(d.get("deliveryType")))));
        }
        if (a.startedAt() != null) {
            fields.add("*С*\n" + when(a.startedAt()) + " (" + Labels.duration(Duration.between(a.startedAt().toInstant(), now)) + ")");
        }
        if (d.get("customerName") != null || d.get("customerPhone") != null) {
            String who = SlackText.value(SlackText.firstName((String) str(d.get("customerName"))), 60);
            String phone = SlackText.maskPhone(str(d.get("customerPhone")));
            fields.add("*Клиент*\n" + (who.isEmpty() ? "" : who + (phone == null ? "" : ", ")) + (phone == null ? "" : phone));
        }
        if (!fields.isEmpty()) {
            SectionBlock s = SectionBlock.builder().fields(fields.stream().limit(10)
                    .map(f -> (TextObject) md(cut(f, MAX_FIELD))).toList()).build();
            blocks.add(s);
        }
        String problem = problem(a);
        if (problem != null && !problem.isEmpty()) {
            blocks.add(section(problem));
        }
        List<String> context = new ArrayList<>();
        if (m.resolved()) {
            context.add("Решено " + (a.resolvedAt() == null ? "" : when(a.resolvedAt())));
        }
        context.add(SlackText.value(a.fingerprint(), 200));
        blocks.add(context(String.join(" · ", context)));
        String fallback = SlackText.escape(SlackText.oneLine(header)) + (problem == null ? "" : ". " + plain(problem));
        return new Rendered(cut(fallback, MAX_FALLBACK), blocks);
    }

    /** The thread reply when alerts of a message resolve: "✅ Решено: …". */
    public Rendered resolved(List<Alert> alerts) {
        List<String> lines = new ArrayList<>();
        for (Alert a : alerts) {
            String what = a.orderId() != null ? "заказ " + SlackText.link(orderUrl(a.orderId()), a.orderId())
                    : SlackText.value(a.details().getOrDefault("city", a.fingerprint()));
            lines.add(what + (a.resolvedAt() == null ? "" : ", " + when(a.resolvedAt())));
        }
        StringBuilder text = new StringBuilder("✅ Решено: ");
        int shown = 0;
        for (String l : lines) {
            if (text.length() + l.length() + 3 > MAX_SECTION - 40) {
                break;
            }
            text.append(shown == 0 ? "" : "; ").append(l);
            shown++;
        }
        if (shown < lines.size()) {
            text.append(" …и ещё ").append(lines.size() - shown);
        }
        String body = text.toString();
        return new Rendered(cut(plain(body), MAX_FALLBACK), List.of(section(body)));
    }

    /** The note in an alert's thread when the second line got a ticket for it: "🎫 Заявка для второй линии: …". */
    public Rendered ticketOpened(Alert a, String ticketId) {
        String what = a == null ? "" : a.orderId() != null ? " по заказу " + SlackText.link(orderUrl(a.orderId()), a.orderId()) : "";
        String body = "🎫 Открыта заявка для второй линии" + what + ": *" + SlackText.value(ticketId, 100) + "*";
        return new Rendered(cut(plain(body), MAX_FALLBACK), List.of(section(body)));
    }

    private String line(Member m, boolean commonShown) {
        Alert a = m.alert();
        String id = a.orderId() != null ? a.orderId() : String.valueOf(a.details().getOrDefault("city", a.fingerprint()));
        String ref = a.orderId() != null ? SlackText.link(orderUrl(a.orderId()), id) : SlackText.value(id, 80);
        if (m.resolved()) {
            return "• ~" + SlackText.value(id, 80) + "~ ✅" + (a.resolvedAt() == null ? "" : " " + TIME.format(a.resolvedAt().atZoneSameInstant(zone)));
        }
        StringBuilder b = new StringBuilder("• ").append(ref);
        Object store = a.details().get("storeName");
        if (store != null) {
            b.append(" · ").append(SlackText.value(store, 60));
        }
        if (a.startedAt() != null) {
            b.append(" · с ").append(when(a.startedAt()));
        }
        if (!commonShown) {
            String p = shortProblem(a);
            if (p != null) {
                b.append(" — ").append(p);
            }
        }
        return b.toString();
    }

    /** What went wrong, by kind, in full (mrkdwn, escaped). */
    String problem(Alert a) {
        Map<String, Object> d = a.details();
        return switch (a.kind()) {
            case AlertKind.EXPORT_FAILED -> "*Ошибка:* " + SlackText.value(join(d.get("system"), d.get("error")), 1000)
                    + (d.get("attempts") != null ? " (попыток: " + SlackText.value(d.get("attempts"), 10) + ")" : "")
                    + "\nПередайте заказ в аптеку повторно или вручную.";
            case AlertKind.ITEM_LINK_ERROR -> "*Позиция:* " + SlackText.value(d.getOrDefault("name", d.get("lineId")), 200)
                    + (d.get("productId") != null ? " (товар " + SlackText.value(d.get("productId"), 60) + ")" : "")
                    + "\n*Причина:* " + SlackText.value(d.get("reason"), 300)
                    + "\nСвяжите товар с кодом аптеки, иначе аптека не увидит, что собирать.";
            case AlertKind.DELETED_STORE_ORDER -> "Аптека закрыта" + (d.get("storeDeletedAt") != null ? " с " + whenText(d.get("storeDeletedAt")) : "")
                    + ". Переназначьте заказ в работающую аптеку и сообщите клиенту.";
            case AlertKind.STUCK_ORDER -> "*Причина:* " + SlackText.value(Labels.stuckReason(str(d.get("reason"))), 300)
                    + (d.get("limitMinutes") instanceof Number n ? "\n*Лимит:* " + Labels.duration(Duration.ofMinutes(n.longValue())) : "");
            case AlertKind.SOURCE_DOWN -> "*Источник:* " + SlackText.value(d.get("source"), 60) + "\n*Ошибка:* " + SlackText.value(d.get("problem"), 600)
                    + "\nПока админка недоступна, оповещения не срабатывают и не снимаются.";
            case AlertKind.DELIVERY_FAILED -> "*Канал:* " + SlackText.value(d.get("sink"), 40) + " → " + SlackText.value(d.get("target"), 200)
                    + "\n*Ошибка:* " + SlackText.value(d.get("error"), 600)
                    + "\nНедоставленное лежит в /api/v1/dead-letters: повторите или отбросьте.";
            case "TICKET_INCOMPLETE" -> "*Не хватает:* " + SlackText.value(d.get("missingText"), 300)
                    + (d.get("category") != null ? "\n*Заявка:* " + SlackText.value(d.get("category"), 200) : "")
                    + "\nЗаявка откроется сама, как только данные появятся в админке; или откройте её вручную.";
            case AlertKind.CITY_REQUEST -> "*Город:* " + SlackText.value(d.get("city"), 100)
                    + (d.get("count") != null ? "\n*Запросов:* " + SlackText.value(d.get("count"), 12) : "");
            default -> generic(d);
        };
    }

    private String shortProblem(Alert a) {
        Map<String, Object> d = a.details();
        return switch (a.kind()) {
            case AlertKind.EXPORT_FAILED -> SlackText.value(join(d.get("system"), d.get("error")), 160);
            case AlertKind.ITEM_LINK_ERROR -> SlackText.value(join(d.getOrDefault("name", d.get("lineId")), d.get("reason")), 160);
            case AlertKind.STUCK_ORDER -> SlackText.value(Labels.stuckReason(str(d.get("reason"))), 160);
            case "TICKET_INCOMPLETE" -> "не хватает: " + SlackText.value(d.get("missingText"), 140);
            default -> null;
        };
    }

    /** The problem every member shares (a whole chain's export failing with one error), or null. */
    private String commonProblem(List<Member> members) {
        String first = null;
        for (Member m : members) {
            String p = shortProblem(m.alert());
            if (p == null || (first != null && !first.equals(p))) {
                return null;
            }
            first = p;
        }
        return first;
    }

    private static String generic(Map<String, Object> d) {
        StringBuilder b = new StringBuilder();
        d.entrySet().stream().limit(10).forEach(e -> b.append(b.length() == 0 ? "" : "\n").append("*")
                .append(SlackText.value(e.getKey(), 40)).append(":* ").append(SlackText.value(e.getValue(), 200)));
        return b.toString();
    }

    private String chainListLink(String kind, String chainId) {
        if (listLink.isEmpty() || chainId == null) {
            return null;
        }
        String url = listLink.replace("{base}", adminUiBase).replace("{chainId}", SlackText.pathSegment(chainId))
                .replace("{kind}", SlackText.pathSegment(kind));
        return SlackText.link(url, "все заказы сети в админке");
    }

    private static String chainName(Alert a) {
        Object name = a.details().get("chainName");
        return name != null ? name.toString() : a.chainId();
    }

    private String orderUrl(String orderId) {
        return adminUiBase + "/orders/" + SlackText.pathSegment(orderId);
    }

    private String storeUrl(String storeId) {
        return adminUiBase + "/stores/" + SlackText.pathSegment(storeId);
    }

    private String when(OffsetDateTime t) {
        return WHEN.format(t.atZoneSameInstant(zone));
    }

    private String whenText(Object iso) {
        try {
            return when(OffsetDateTime.parse(String.valueOf(iso)));
        } catch (RuntimeException e) {
            return SlackText.value(iso, 40);
        }
    }

    private static String join(Object a, Object b) {
        if (a == null) {
            return b == null ? "" : b.toString();
        }
        return b == null ? a.toString() : a + ": " + b;
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    /** A header is plain text, never parsed; angle brackets from data still become look-alikes so nothing reads as markup. */
    private static HeaderBlock header(String text) {
        String plain = SlackText.oneLine(text).replace('<', '‹').replace('>', '›');
        return HeaderBlock.builder().text(PlainTextObject.builder().text(cut(plain, MAX_HEADER)).emoji(true).build()).build();
    }

    private static SectionBlock section(String mrkdwn) {
        return SectionBlock.builder().text(md(SlackText.cutMarkdown(mrkdwn, MAX_SECTION))).build();
    }

    private static ContextBlock context(String mrkdwn) {
        return ContextBlock.builder().elements(List.of(md(SlackText.cutMarkdown(mrkdwn, MAX_FIELD)))).build();
    }

    /** Verbatim: Slack does not turn bare names or URLs in data into mentions or links. */
    private static MarkdownTextObject md(String text) {
        return MarkdownTextObject.builder().text(text).verbatim(true).build();
    }

    /** The fallback's plain text: mrkdwn markers dropped, escapes kept. */
    private static String plain(String mrkdwn) {
        return SlackText.oneLine(mrkdwn.replace("*", "").replaceAll("<([^|>]*)\\|([^>]*)>", "$2"));
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
