package io.orderwatch.notify.tickets;

import com.github.mustachejava.Code;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import com.github.mustachejava.codes.ValueCode;
import com.github.mustachejava.codes.WriteCode;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A ticket template: {@code <name>.subject.mustache} and {@code <name>.body.mustache} in
 * config/templates/tickets, plain text (nothing is HTML-escaped; every value from data is one line and
 * cut, {@link io.orderwatch.notify.TemplateValues}). A fact named outside any section is
 * required: a ticket without it is not sent. A fact inside {{#fact}}…{{/fact}} or {{^fact}}…{{/fact}} is
 * optional. A template that does not parse, or names a fact that does not exist, is a
 * {@link BadTemplate} naming the file.
 */
public final class TicketTemplate {

    private final String name;
    private final Mustache subject;
    private final Mustache body;
    private final Set<String> required;

    public static final class BadTemplate extends RuntimeException {
        BadTemplate(String message) {
            super(message);
        }
    }

    private TicketTemplate(String name, Mustache subject, Mustache body, Set<String> required) {
        this.name = name;
        this.subject = subject;
        this.body = body;
        this.required = required;
    }

    public static TicketTemplate load(Path dir, String name) {
        Set<String> required = new LinkedHashSet<>();
        required.add("orderId");
        required.add("customerPhone"); // the ticket's phone field
        Mustache subject = compile(dir.resolve(name + ".subject.mustache"), required);
        Mustache body = compile(dir.resolve(name + ".body.mustache"), required);
        return new TicketTemplate(name, subject, body, required);
    }

    private static Mustache compile(Path file, Set<String> required) {
        if (!Files.isRegularFile(file)) {
            throw new BadTemplate("ticket template " + file + " does not exist");
        }
        DefaultMustacheFactory plain = io.orderwatch.notify.TemplateValues.plain(file.getParent().toFile());
        Mustache m;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            m = plain.compile(r, file.getFileName().toString());
        } catch (IOException | UncheckedIOException e) {
            throw new BadTemplate("ticket template " + file + " cannot be read: " + e.getMessage());
        } catch (MustacheException e) {
            throw new BadTemplate("ticket template " + file + " does not parse: " + oneLine(e.getMessage()));
        }
        walk(file, m.getCodes(), 0, required);
        return m;
    }

    private static void walk(Path file, Code[] codes, int depth, Set<String> required) {
        if (codes == null) {
            return;
        }
        for (Code c : codes) {
            if (c instanceof WriteCode) {
                continue;
            }
            String n = c.getName();
            if (n != null) {
                if (!TicketFacts.KNOWN.contains(n)) {
                    throw new BadTemplate("ticket template " + file + " names \"" + n + "\", which is not a fact orderwatch knows ("
                            + String.join(", ", new java.util.TreeSet<>(TicketFacts.KNOWN)) + ")");
                }
                if (depth == 0 && c instanceof ValueCode) {
                    required.add(n);
                }
            }
            if (!(c instanceof ValueCode)) {
                walk(file, c.getCodes(), depth + 1, required);
            }
        }
    }

    public String name() {
        return name;
    }

    /** Required facts, in the order the template names them. */
    public Set<String> required() {
        return required;
    }

    /** The required facts the given facts lack (the admin status is read just before sending, so not checked). */
    public List<String> missing(Map<String, String> facts) {
        List<String> out = new ArrayList<>();
        for (String r : required) {
            if (!TicketFacts.ADMIN_STATUS.equals(r) && !facts.containsKey(r)) {
                out.add(r);
            }
        }
        return out;
    }

    public String subject(Map<String, String> facts) {
        return render(subject, facts).strip().replaceAll("\\s+", " ");
    }

    public String body(Map<String, String> facts) {
        return render(body, facts).strip();
    }

    private static String render(Mustache m, Map<String, String> facts) {
        StringWriter w = new StringWriter();
        m.execute(w, facts);
        return w.toString();
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ");
    }
}
