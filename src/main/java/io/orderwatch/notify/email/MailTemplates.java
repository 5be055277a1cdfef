package io.orderwatch.notify.email;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The e-mail templates, files in config/templates/email (Mustache), three per kind of e-mail:
 * {@code <kind>.subject.mustache}, {@code <kind>.txt.mustache} and {@code <kind>.html.mustache}. They
 * are read and compiled once at start-up, so an edit takes effect with a restart and no rebuild; a
 * missing or broken one stops start-up with one line naming the file. Every value from data is one
 * line and cut ({@link io.orderwatch.notify.TemplateValues}); the HTML part also escapes it.
 */
public final class MailTemplates {

    public static final String STUCK_DIGEST = "stuck-digest";
    public static final String COMPOSITION = "composition-change";
    public static final String CITY_DIGEST = "city-digest";
    public static final String OPS_ALERT = "ops-alert";
    public static final List<String> KINDS = List.of(STUCK_DIGEST, COMPOSITION, CITY_DIGEST, OPS_ALERT);

    /** One rendered e-mail: a one-line subject and the two bodies. */
    public record Rendered(String subject, String text, String html) {}

    private record Compiled(Mustache subject, Mustache text, Mustache html) {}

    private final Map<String, Compiled> byKind = new LinkedHashMap<>();

    public MailTemplates(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("no e-mail templates in " + dir + " (config/templates/email)");
        }
        DefaultMustacheFactory html = io.orderwatch.notify.TemplateValues.html(dir.toFile());
        DefaultMustacheFactory plain = io.orderwatch.notify.TemplateValues.plain(dir.toFile());
        for (String kind : KINDS) {
            byKind.put(kind, new Compiled(compile(plain, dir, kind + ".subject.mustache"), compile(plain, dir, kind + ".txt.mustache"),
                    compile(html, dir, kind + ".html.mustache")));
        }
    }

    private static Mustache compile(DefaultMustacheFactory factory, Path dir, String name) {
        Path file = dir.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("e-mail template " + file + " is missing");
        }
        try {
            Mustache m = factory.compile(name);
            // a template that compiles may still fail on first use (a partial that is missing): try it once
            m.execute(new StringWriter(), Map.of());
            return m;
        } catch (RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            throw new IllegalArgumentException("e-mail template " + file + " is broken: " + why, e);
        }
    }

    public Rendered render(String kind, Object scope) {
        Compiled c = byKind.get(kind);
        if (c == null) {
            throw new IllegalArgumentException("no e-mail template for " + kind);
        }
        return new Rendered(MimeMessages.oneLine(run(c.subject(), scope)), run(c.text(), scope), run(c.html(), scope));
    }

    private static String run(Mustache m, Object scope) {
        StringWriter w = new StringWriter();
        m.execute(w, scope);
        return w.toString();
    }
}
