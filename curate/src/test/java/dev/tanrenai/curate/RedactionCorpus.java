package dev.tanrenai.curate;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The redaction canary corpus ({@code redaction-canaries.tsv}: every kind of secret the redactor
 * must remove, with the needle that must not survive) and the text contexts it is planted in
 * ({@code redaction-contexts.tsv}). The pipelines' end-to-end canary test reads the same files.
 */
final class RedactionCorpus {

    record Canary(String kind, String planted, String needle) {}

    record Context(String name, String template) {
        String plant(Canary c) {
            String escaped = new String(JsonStringEncoder.getInstance().quoteAsString(c.planted()));
            return template.replace("{SJ}", escaped).replace("{S}", c.planted()).replace("{BS}", "\\");
        }
    }

    private RedactionCorpus() {}

    static List<Canary> canaries() {
        List<Canary> out = new ArrayList<>();
        for (String[] f : rows("redaction-canaries.tsv", 3)) {
            out.add(new Canary(f[0], f[1], f[2]));
        }
        return out;
    }

    static List<Context> contexts() {
        List<Context> out = new ArrayList<>();
        for (String[] f : rows("redaction-contexts.tsv", 2)) {
            out.add(new Context(f[0], f[1]));
        }
        return out;
    }

    private static List<String[]> rows(String resource, int fields) {
        try (InputStream in = RedactionCorpus.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + resource + " is missing");
            }
            List<String[]> out = new ArrayList<>();
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].isBlank() || lines[i].startsWith("#")) {
                    continue;
                }
                String[] f = lines[i].split("\t");
                if (f.length != fields) {
                    throw new IllegalStateException(resource + " line " + (i + 1) + ": expected " + fields
                            + " tab-separated fields, got " + f.length);
                }
                for (int k = 0; k < f.length; k++) {
                    f[k] = f[k].replace("\\n", "\n");
                }
                out.add(f);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read test resource " + resource, e);
        }
    }
}
