package dev.tanrenai.evaluate.tasks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A task read from a task file by {@link TaskFile}, with its documents loaded.
 *
 * @param name the {@code task} name
 * @param source the task file (path or resource name), for messages
 * @param outputType how documents are scored
 * @param docToText the context template (null only for {@code loglikelihood_rolling})
 * @param docToTarget the target template: text, or for multiple choice an index into the choices (or the
 *     gold choice's text)
 * @param docToChoice the choices (multiple choice only; may also map a generation target index to text)
 * @param targetDelimiter between the context and a choice or few-shot target (default {@code " "})
 * @param fewshotDelimiter between few-shot examples and before the document (default {@code "\n\n"})
 * @param numFewshot few-shot examples per document
 * @param limit score only the first {@code limit} documents; null for all
 * @param until generation stop strings ({@code generate_until})
 * @param maxGenTokens most tokens generated ({@code generate_until})
 * @param metrics what is reported, in file order
 * @param version {@code metadata.version} (a whole number)
 * @param description text put before the few-shot examples (a template), or null
 * @param docs the documents scored, in file order (before {@code limit})
 * @param fewshotDocs where few-shot examples are drawn from; the same list as {@code docs} when the task
 *     has no {@code fewshot_path}
 * @param files SHA-256 of each file the task reads (the task file first), by path or resource name
 */
public record TaskConfig(
        String name,
        String source,
        OutputType outputType,
        Template docToText,
        Template docToTarget,
        Choices docToChoice,
        String targetDelimiter,
        String fewshotDelimiter,
        int numFewshot,
        Integer limit,
        List<String> until,
        int maxGenTokens,
        List<TaskMetric> metrics,
        int version,
        Template description,
        List<Map<String, Object>> docs,
        List<Map<String, Object>> fewshotDocs,
        Map<String, String> files) {

    public TaskConfig {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(outputType, "outputType");
        Objects.requireNonNull(targetDelimiter, "targetDelimiter");
        Objects.requireNonNull(fewshotDelimiter, "fewshotDelimiter");
        Objects.requireNonNull(docToTarget, "docToTarget");
        if (name == null || !name.matches("[a-z0-9][a-z0-9_.-]*")) {
            throw new IllegalArgumentException(
                    source + ": task name '" + name + "' must be lower-case letters, digits, _ . -");
        }
        if (docToText == null && outputType != OutputType.LOGLIKELIHOOD_ROLLING) {
            throw new IllegalArgumentException(source + ": " + outputType.id() + " needs doc_to_text");
        }
        if ((docToChoice == null) == (outputType == OutputType.MULTIPLE_CHOICE)) {
            if (docToChoice == null) {
                throw new IllegalArgumentException(source + ": multiple_choice needs doc_to_choice");
            }
            if (outputType != OutputType.GENERATE_UNTIL) {
                throw new IllegalArgumentException(source + ": doc_to_choice applies to multiple_choice and"
                        + " generate_until only, not " + outputType.id());
            }
        }
        if (numFewshot < 0 || (numFewshot > 0 && outputType == OutputType.LOGLIKELIHOOD_ROLLING)) {
            throw new IllegalArgumentException(
                    source + ": num_fewshot must be >= 0 (and 0 for" + " loglikelihood_rolling), got " + numFewshot);
        }
        if (limit != null && limit < 1) {
            throw new IllegalArgumentException(source + ": limit must be >= 1, got " + limit);
        }
        if (maxGenTokens < 1) {
            throw new IllegalArgumentException(source + ": max_gen_toks must be >= 1, got " + maxGenTokens);
        }
        until = List.copyOf(until);
        metrics = List.copyOf(metrics);
        if (metrics.isEmpty()) {
            throw new IllegalArgumentException(source + ": no metric");
        }
        if (metrics.stream().map(m -> m.metric().name()).distinct().count() != metrics.size()) {
            throw new IllegalArgumentException(source + ": a metric is listed twice");
        }
        for (TaskMetric m : metrics) {
            if (!TaskMetric.supported(outputType).contains(m.metric().name())) {
                throw new IllegalArgumentException(
                        source + ": metric " + m.metric().name() + " does not apply to " + outputType.id()
                                + " (supported: " + TaskMetric.supported(outputType) + ")");
            }
        }
        docs = List.copyOf(docs);
        fewshotDocs = List.copyOf(fewshotDocs);
        if (docs.isEmpty()) {
            throw new IllegalArgumentException(source + ": the task has no document");
        }
        if (numFewshot > 0 && fewshotDocs.size() < numFewshot + (fewshotDocs.equals(docs) ? 1 : 0)) {
            throw new IllegalArgumentException(source + ": num_fewshot " + numFewshot + " needs more few-shot"
                    + " documents than the " + fewshotDocs.size() + " there are");
        }
        files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
    }

    /** The documents scored: the first {@code limit} of {@link #docs}. */
    public List<Map<String, Object>> scoredDocs() {
        return limit == null || limit >= docs.size() ? docs : docs.subList(0, limit);
    }

    /** Whether few-shot examples come from the scored documents themselves (the document is excluded). */
    public boolean fewshotFromDocs() {
        return fewshotDocs.equals(docs);
    }

    /**
     * {@code doc_to_choice}: either one template that yields a list (a list field, a list literal), or
     * a YAML list of templates, each yielding one choice.
     *
     * @param list the template yielding the list, or null
     * @param each one template per choice, or empty
     */
    public record Choices(Template list, List<Template> each) {
        public Choices {
            each = List.copyOf(each);
            if ((list == null) == each.isEmpty()) {
                throw new IllegalArgumentException("doc_to_choice is either one template or a list of templates");
            }
        }

        /** The choices of {@code doc}, as text. */
        public List<String> of(Map<String, Object> doc, int docIndex) {
            List<String> out = new ArrayList<>();
            if (list != null) {
                Object v = list.evaluate(doc, docIndex);
                if (!(v instanceof List<?> items)) {
                    throw list.failure(
                            docIndex, "doc_to_choice must yield a list, got " + YamlTree.Node.typeName(v), null);
                }
                for (Object o : items) {
                    try {
                        out.add(TemplateExpression.text(o));
                    } catch (IllegalArgumentException e) {
                        throw list.failure(docIndex, "a choice: " + e.getMessage(), e);
                    }
                }
            } else {
                for (Template t : each) {
                    out.add(t.text(doc, docIndex));
                }
            }
            if (out.isEmpty()) {
                throw (list != null ? list : each.get(0)).failure(docIndex, "no choices", null);
            }
            return out;
        }
    }
}
