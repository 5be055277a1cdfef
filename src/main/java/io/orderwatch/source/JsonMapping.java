package io.orderwatch.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.schibsted.spt.data.jslt.Expression;
import com.schibsted.spt.data.jslt.JsltException;
import com.schibsted.spt.data.jslt.Parser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The one generic mapping bean of integrators' routes: turns a JSON record into another shape with a
 * JSLT template kept in {@code config/mappings/<name>.jslt}, e.g. a foreign admin system's order into
 * an {@code ORDER_UPSERTED} event of the reference contract. A route calls
 * {@code mapping.map('foreign-orders', ${body})}. Each template is compiled once and compiled again when
 * its file changes, so a mapping is edited without a restart.
 *
 * <p>A template that does not compile fails the call with its file and line; a record the template
 * cannot map (a wrong type where it computes) fails with the template's message. What the template
 * leaves out is simply absent in the output, and orderwatch's own validation names it downstream.
 */
public final class JsonMapping {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

    /** How often a template's file is looked at for a change (not on every record). */
    private static final long RECHECK_MS = 1000;

    private final Path dir;
    private final ObjectMapper mapper;
    private final Map<String, Compiled> compiled = new ConcurrentHashMap<>();

    public JsonMapping(Path dir, ObjectMapper mapper) {
        this.dir = dir;
        this.mapper = mapper;
    }

    /**
     * @param name   the template, {@code config/mappings/<name>.jslt}
     * @param record a JSON string, bytes, or what Jackson can turn into a tree (a Map from a JSONPath split)
     * @return the mapped JSON, or null when the template yields nothing (JSLT's null) for this record
     */
    public String map(String name, Object record) {
        JsonNode in = tree(record);
        JsonNode out = apply(name, in);
        if (out == null || out.isNull() || out.isMissingNode()) {
            return null;
        }
        try {
            return mapper.writeValueAsString(out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same on trees (benchmarks, Java callers). */
    public JsonNode apply(String name, JsonNode in) {
        try {
            return expression(name).apply(in);
        } catch (JsltException e) {
            throw new IllegalArgumentException("mapping " + name + " could not map the record: " + e.getMessage(), e);
        }
    }

    private JsonNode tree(Object record) {
        try {
            if (record instanceof JsonNode n) {
                return n;
            }
            if (record instanceof String s) {
                return mapper.readTree(s);
            }
            if (record instanceof byte[] b) {
                return mapper.readTree(b);
            }
            return mapper.valueToTree(record);
        } catch (IOException e) {
            throw new IllegalArgumentException("the record is not JSON: " + e.getMessage(), e);
        }
    }

    private Expression expression(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a mapping name is lower-case kebab-case, got \"" + name + "\"");
        }
        Compiled c = compiled.get(name);
        long nowMs = System.currentTimeMillis();
        if (c != null && nowMs - c.checkedAtMs < RECHECK_MS) {
            return c.expression;
        }
        Path file = dir.resolve(name + ".jslt");
        FileTime modified;
        try {
            modified = Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("no mapping " + file + " (a JSLT template in config/mappings)");
        }
        if (c != null && c.modified.equals(modified)) {
            compiled.put(name, new Compiled(c.expression, modified, nowMs));
            return c.expression;
        }
        try {
            Expression e = Parser.compileString(Files.readString(file, StandardCharsets.UTF_8));
            compiled.put(name, new Compiled(e, modified, nowMs));
            return e;
        } catch (IOException e) {
            throw new IllegalArgumentException("mapping " + file + " could not be read: " + e.getMessage(), e);
        } catch (JsltException e) {
            throw new IllegalArgumentException("mapping " + file + " does not compile: " + e.getMessage(), e);
        }
    }

    private record Compiled(Expression expression, FileTime modified, long checkedAtMs) {}
}
