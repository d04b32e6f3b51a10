package dev.tanrenai.evaluate.tasks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The documents of a task: JSONL (one JSON object per line, blank lines skipped), or one of two
 * converted formats of the shared evaluation sets:
 *
 * <ul>
 *   <li>{@code llamacpp_hellaswag}: llama.cpp's {@code --hellaswag} text (6 lines a task: {@code
 *       activity_label + ": " + ctx}, the gold label, 4 endings) converted to lm-eval's processed
 *       HellaSwag documents: {@code query = preprocess(activity_label + ": " + ctx_a + " " +
 *       ctx_b.capitalize())}, {@code choices = preprocess(ending)} each, {@code label} the gold index as
 *       text (as HF has it) and {@code gold} as an integer. The file joins {@code ctx_a} and {@code
 *       ctx_b}; {@code ctx_b} is taken to start after the last {@code ". "}, {@code "! "} or {@code "? "}
 *       that is followed by a lower-case letter (or at the start when the whole context is lower-case
 *       first), and only its first letter is capitalised (Python's {@code capitalize} also lower-cases
 *       the rest, which in HellaSwag's {@code ctx_b} is already lower case).
 *   <li>{@code piqa_labels}: PIQA's {@code valid.jsonl} with the 0/1 label of the same line of
 *       {@code valid-labels.lst} added as {@code label}.
 * </ul>
 *
 * Values are {@code String}, {@code Long}, {@code Double}, {@code Boolean}, null, lists and maps.
 */
final class TaskData {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_LONG_FOR_INTS);
    private static final Pattern BRACKETS = Pattern.compile("\\[.*?\\]");
    private static final Pattern CTX_B = Pattern.compile("[.!?] ([a-z])");

    private TaskData() {}

    /** The documents of JSONL {@code content}; a malformed line is an error naming {@code file} and the line. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> jsonl(String content, String file) {
        List<Map<String, Object>> docs = new ArrayList<>();
        String[] lines = content.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            Object v;
            try {
                v = JSON.readValue(line, Object.class);
            } catch (JsonProcessingException e) {
                throw new TaskFileException(file, i + 1, null, "malformed JSON: " + e.getOriginalMessage(), e);
            }
            if (!(v instanceof Map)) {
                throw new TaskFileException(
                        file, i + 1, null, "a document must be a JSON object, got " + YamlTree.Node.typeName(v));
            }
            docs.add((Map<String, Object>) v);
        }
        return docs;
    }

    /** lm-eval's HellaSwag documents from llama.cpp's text format (see the class comment). */
    static List<Map<String, Object>> hellaswag(String content, String file) {
        String[] lines = content.split("\n", -1);
        int n = lines.length;
        while (n > 0 && lines[n - 1].isBlank()) {
            n--;
        }
        if (n % 6 != 0) {
            throw new TaskFileException(
                    file, n, null, "llama.cpp HellaSwag text has 6 lines a task, but there are " + n + " lines");
        }
        List<Map<String, Object>> docs = new ArrayList<>();
        for (int t = 0; t < n / 6; t++) {
            int first = 6 * t;
            String context = lines[first];
            int colon = context.indexOf(": ");
            if (colon < 0) {
                throw new TaskFileException(file, first + 1, null, "expected 'activity_label: context'");
            }
            String label = lines[first + 1].strip();
            if (!label.matches("[0-3]")) {
                throw new TaskFileException(file, first + 2, null, "the gold label must be 0-3, got '" + label + "'");
            }
            String activity = context.substring(0, colon);
            String ctx = context.substring(colon + 2);
            List<String> choices = new ArrayList<>();
            for (int e = 0; e < 4; e++) {
                choices.add(preprocess(lines[first + 2 + e]));
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("ind", (long) t);
            doc.put("activity_label", activity);
            doc.put("ctx", ctx);
            doc.put("query", preprocess(activity + ": " + capitalizeCtxB(ctx)));
            doc.put("choices", choices);
            doc.put("label", label);
            doc.put("gold", Long.parseLong(label));
            docs.add(doc);
        }
        return docs;
    }

    /** lm-eval {@code hellaswag/utils.py preprocess}. */
    static String preprocess(String text) {
        String s = text.strip().replace(" [title]", ". ");
        s = BRACKETS.matcher(s).replaceAll("");
        return s.replace("  ", " ");
    }

    private static String capitalizeCtxB(String ctx) {
        int start = -1;
        Matcher m = CTX_B.matcher(ctx);
        while (m.find()) {
            start = m.start(1);
        }
        if (start < 0 && !ctx.isEmpty() && Character.isLowerCase(ctx.charAt(0))) {
            start = 0;
        }
        if (start < 0) {
            return ctx;
        }
        return ctx.substring(0, start) + Character.toUpperCase(ctx.charAt(start)) + ctx.substring(start + 1);
    }

    /** PIQA's documents with the label of the same line of {@code labels} added. */
    static List<Map<String, Object>> piqa(String jsonl, String file, String labels, String labelsFile) {
        List<Map<String, Object>> docs = jsonl(jsonl, file);
        List<String> values =
                labels.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (values.size() != docs.size()) {
            throw new TaskFileException(
                    labelsFile, 0, null, values.size() + " labels for " + docs.size() + " documents of " + file);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            if (!values.get(i).matches("[01]")) {
                throw new TaskFileException(labelsFile, i + 1, null, "a PIQA label is 0 or 1, got " + values.get(i));
            }
            Map<String, Object> doc = new LinkedHashMap<>(docs.get(i));
            doc.put("label", Long.parseLong(values.get(i)));
            out.add(doc);
        }
        return out;
    }

    /** {@code docs} as JSONL, one object a line, keys in document order. */
    static String toJsonl(List<Map<String, Object>> docs) {
        StringBuilder out = new StringBuilder();
        for (Map<String, Object> d : docs) {
            try {
                out.append(JSON.writeValueAsString(d)).append('\n');
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out.toString();
    }
}
