package dev.tanrenai.evaluate.tasks;

import dev.tanrenai.evaluate.result.ItemScore;
import dev.tanrenai.evaluate.score.LanguageModel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores a task's documents on a {@link LanguageModel}, one {@link ItemScore} per document (item id =
 * the document's index, cluster = its {@code id} field when it has one, else {@code doc-<index>}; text
 * = the start of its {@code doc_to_text}). The values, by output type, as lm-eval computes them:
 *
 * <ul>
 *   <li>{@code multiple_choice}: {@code ll_i = loglikelihood(context, target_delimiter + choice_i)};
 *       {@code acc} = 1 when {@code argmax ll_i} is the gold choice, {@code acc_norm} the same for
 *       {@code ll_i / len(choice_i)} in characters (UTF-16 units; lm-eval counts Python code points,
 *       the same outside the astral planes), {@code acc_bytes} for {@code ll_i / UTF-8 bytes of
 *       choice_i}; ties go to the first choice (numpy's argmax).
 *   <li>{@code loglikelihood}: {@code ll = loglikelihood(context, target)} (no delimiter: lm-eval puts
 *       none there), {@code acc} = 1 when the target is the greedy continuation.
 *   <li>{@code loglikelihood_rolling}: {@code ll} of the whole {@code doc_to_target} text, {@code
 *       words} = pieces of a split on white-space runs (Python {@code re.split(r"\s+")}), {@code bytes}
 *       = its UTF-8 length.
 *   <li>{@code generate_until}: {@code exact_match} = 1 when the greedy generation (cut at the first
 *       {@code until}) equals the target after the metric's normalisation.
 * </ul>
 */
public final class TaskRunner {

    private TaskRunner() {}

    /** Scores every document of {@code task} (the first {@code limit}); few-shot drawn with {@code seed}. */
    public static List<ItemScore> run(TaskConfig task, LanguageModel model, long seed) {
        List<Map<String, Object>> docs = task.scoredDocs();
        List<String> contexts = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            contexts.add(
                    task.outputType() == OutputType.LOGLIKELIHOOD_ROLLING
                            ? ""
                            : FewShot.context(task, docs.get(i), i, seed));
        }
        return switch (task.outputType()) {
            case MULTIPLE_CHOICE -> multipleChoice(task, model, docs, contexts);
            case LOGLIKELIHOOD -> loglikelihood(task, model, docs, contexts);
            case LOGLIKELIHOOD_ROLLING -> rolling(task, model, docs);
            case GENERATE_UNTIL -> generate(task, model, docs, contexts);
        };
    }

    private static List<ItemScore> multipleChoice(
            TaskConfig task, LanguageModel model, List<Map<String, Object>> docs, List<String> contexts) {
        List<LanguageModel.ContinuationRequest> requests = new ArrayList<>();
        List<List<String>> choicesOf = new ArrayList<>();
        int[] gold = new int[docs.size()];
        for (int i = 0; i < docs.size(); i++) {
            List<String> choices = task.docToChoice().of(docs.get(i), i);
            choicesOf.add(choices);
            gold[i] = FewShot.goldIndex(task, target(task, docs.get(i), i), choices, i);
            for (String c : choices) {
                requests.add(new LanguageModel.ContinuationRequest(contexts.get(i), task.targetDelimiter() + c));
            }
        }
        List<LanguageModel.Loglikelihood> results = answered(model.loglikelihood(requests), requests.size());
        List<ItemScore> items = new ArrayList<>();
        int at = 0;
        for (int i = 0; i < docs.size(); i++) {
            List<String> choices = choicesOf.get(i);
            double[] ll = new double[choices.size()];
            double[] perChar = new double[choices.size()];
            double[] perByte = new double[choices.size()];
            for (int c = 0; c < choices.size(); c++) {
                ll[c] = results.get(at++).logProbability();
                perChar[c] = ll[c] / choices.get(c).length();
                perByte[c] = ll[c] / choices.get(c).getBytes(StandardCharsets.UTF_8).length;
            }
            Map<String, Double> v = new LinkedHashMap<>();
            v.put(TaskMetric.ACC, argmax(ll) == gold[i] ? 1.0 : 0.0);
            v.put(TaskMetric.ACC_NORM, argmax(perChar) == gold[i] ? 1.0 : 0.0);
            v.put(TaskMetric.ACC_BYTES, argmax(perByte) == gold[i] ? 1.0 : 0.0);
            items.add(item(task, docs.get(i), i, v));
        }
        return items;
    }

    private static List<ItemScore> loglikelihood(
            TaskConfig task, LanguageModel model, List<Map<String, Object>> docs, List<String> contexts) {
        List<LanguageModel.ContinuationRequest> requests = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            requests.add(
                    new LanguageModel.ContinuationRequest(contexts.get(i), FewShot.targetText(task, docs.get(i), i)));
        }
        List<LanguageModel.Loglikelihood> results = answered(model.loglikelihood(requests), requests.size());
        List<ItemScore> items = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            LanguageModel.Loglikelihood r = results.get(i);
            items.add(item(
                    task,
                    docs.get(i),
                    i,
                    Map.of(TaskMetric.LL, r.logProbability(), TaskMetric.ACC, r.greedy() ? 1.0 : 0.0)));
        }
        return items;
    }

    private static List<ItemScore> rolling(TaskConfig task, LanguageModel model, List<Map<String, Object>> docs) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            texts.add(FewShot.targetText(task, docs.get(i), i));
        }
        List<LanguageModel.RollingLoglikelihood> results = answered(model.loglikelihoodRolling(texts), texts.size());
        List<ItemScore> items = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            String t = texts.get(i);
            items.add(item(
                    task,
                    docs.get(i),
                    i,
                    Map.of(
                            TaskMetric.LL, results.get(i).logProbability(),
                            TaskMetric.WORDS, (double) words(t),
                            TaskMetric.BYTES, (double) t.getBytes(StandardCharsets.UTF_8).length)));
        }
        return items;
    }

    private static List<ItemScore> generate(
            TaskConfig task, LanguageModel model, List<Map<String, Object>> docs, List<String> contexts) {
        List<LanguageModel.GenerationTask> requests = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            requests.add(new LanguageModel.GenerationTask(contexts.get(i), task.until(), task.maxGenTokens()));
        }
        List<String> outputs = answered(model.generateUntil(requests), requests.size());
        List<ItemScore> items = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            String gold = FewShot.targetText(task, docs.get(i), i);
            Map<String, Double> v = new LinkedHashMap<>();
            for (TaskMetric m : task.metrics()) {
                v.put(m.metric().name(), m.exactMatch(outputs.get(i), gold));
            }
            items.add(item(task, docs.get(i), i, v));
        }
        return items;
    }

    /** lm-eval's word count: {@code len(re.split(r"\s+", text))} (leading/trailing empty pieces count). */
    static int words(String text) {
        return text.split("\\s+", -1).length;
    }

    /** The index of the largest value, the first of equal ones. */
    static int argmax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    private static Object target(TaskConfig task, Map<String, Object> doc, int i) {
        Object t = task.docToTarget().evaluate(doc, i);
        return t instanceof List<?> l && !l.isEmpty() ? l.get(0) : t;
    }

    private static ItemScore item(TaskConfig task, Map<String, Object> doc, int i, Map<String, Double> values) {
        Object id = doc.get("id");
        String cluster = id instanceof String || id instanceof Long ? id.toString() : "doc-" + i;
        Template shown = task.docToText() != null ? task.docToText() : task.docToTarget();
        String text = shown.text(doc, i);
        return new ItemScore(
                Integer.toString(i), cluster, values, text.length() <= 160 ? text : text.substring(0, 157) + "...");
    }

    private static <T> List<T> answered(List<T> results, int expected) {
        if (results.size() != expected) {
            throw new IllegalStateException(
                    "the language model answered " + results.size() + " of " + expected + " requests");
        }
        return results;
    }
}
