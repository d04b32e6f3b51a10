package dev.tanrenai.evaluate.tasks;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The context of a document as lm-evaluation-harness builds it: {@code description} (rendered for the
 * document, empty when absent), then {@code num_fewshot} examples, each {@code doc_to_text +
 * target_delimiter + target}, each followed by {@code fewshot_delimiter}, then the document's {@code
 * doc_to_text}.
 *
 * <p>Examples are drawn without replacement from the few-shot documents, never the document itself
 * (when they are the scored documents), by a {@link SplittableRandom} seeded from the suite seed and
 * the document's index: the same seed gives the same examples for a document whatever the {@code
 * limit}. lm-eval draws with Python's {@code random.Random(1234)} in document order, so the examples
 * (not the format) differ from lm-eval's.
 */
final class FewShot {

    private FewShot() {}

    /** The full context of document {@code docIndex}. */
    static String context(TaskConfig task, Map<String, Object> doc, int docIndex, long seed) {
        StringBuilder out = new StringBuilder();
        if (task.description() != null) {
            out.append(task.description().text(doc, docIndex));
        }
        if (task.numFewshot() > 0) {
            for (int i : examples(task, docIndex, seed)) {
                Map<String, Object> ex = task.fewshotDocs().get(i);
                out.append(task.docToText().text(ex, i))
                        .append(task.targetDelimiter())
                        .append(targetText(task, ex, i))
                        .append(task.fewshotDelimiter());
            }
        }
        return out.append(task.docToText().text(doc, docIndex)).toString();
    }

    /** Indices into {@link TaskConfig#fewshotDocs()} of document {@code docIndex}'s examples, in order. */
    static int[] examples(TaskConfig task, int docIndex, long seed) {
        List<Map<String, Object>> pool = task.fewshotDocs();
        boolean exclude = task.fewshotFromDocs();
        int[] candidates = new int[pool.size()];
        int n = 0;
        for (int i = 0; i < pool.size(); i++) {
            if (!exclude || i != docIndex) {
                candidates[n++] = i;
            }
        }
        int k = task.numFewshot();
        if (n < k) {
            throw new TaskFileException(
                    task.source(),
                    0,
                    "num_fewshot",
                    k + " examples asked for, but only " + n + " few-shot documents are available for document "
                            + docIndex);
        }
        SplittableRandom random = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (docIndex + 1L)));
        for (int i = 0; i < k; i++) { // partial Fisher-Yates: the first k of a seeded shuffle
            int j = i + random.nextInt(n - i);
            int t = candidates[i];
            candidates[i] = candidates[j];
            candidates[j] = t;
        }
        return java.util.Arrays.copyOf(candidates, k);
    }

    /**
     * The target as text: an index (an integer, or a string of digits) selects a choice when the task
     * has choices; a list gives its first element; otherwise the rendered text.
     */
    static String targetText(TaskConfig task, Map<String, Object> doc, int docIndex) {
        Object t = task.docToTarget().evaluate(doc, docIndex);
        if (t instanceof List<?> l && !l.isEmpty()) {
            t = l.get(0);
        }
        if (task.docToChoice() != null && isIndex(t)) {
            List<String> choices = task.docToChoice().of(doc, docIndex);
            return choices.get(goldIndex(task, t, choices, docIndex));
        }
        try {
            return TemplateExpression.text(t);
        } catch (IllegalArgumentException e) {
            throw task.docToTarget().failure(docIndex, e.getMessage(), e);
        }
    }

    /** The gold choice: an index, a string of digits, or the text of one of the choices. */
    static int goldIndex(TaskConfig task, Object target, List<String> choices, int docIndex) {
        long index;
        if (target instanceof Long l) {
            index = l;
        } else if (target instanceof String s && s.matches("\\d{1,9}")) {
            index = Long.parseLong(s);
        } else if (target instanceof String s) {
            index = choices.indexOf(s);
            if (index < 0) {
                throw task.docToTarget()
                        .failure(docIndex, "the target '" + s + "' is none of the choices " + choices, null);
            }
        } else {
            throw task.docToTarget()
                    .failure(
                            docIndex,
                            "the target must be an index or a choice, got " + YamlTree.Node.typeName(target),
                            null);
        }
        if (index < 0 || index >= choices.size()) {
            throw task.docToTarget()
                    .failure(
                            docIndex,
                            "the target index " + index + " is out of range for " + choices.size() + " choices",
                            null);
        }
        return (int) index;
    }

    private static boolean isIndex(Object t) {
        return t instanceof Long || (t instanceof String s && s.matches("\\d{1,9}"));
    }
}
