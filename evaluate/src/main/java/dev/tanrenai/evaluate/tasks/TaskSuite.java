package dev.tanrenai.evaluate.tasks;

import dev.tanrenai.datasets.provenance.Sha256;
import dev.tanrenai.evaluate.result.ItemScore;
import dev.tanrenai.evaluate.result.Metric;
import dev.tanrenai.evaluate.score.LanguageModel;
import dev.tanrenai.evaluate.score.ModelUnderTest;
import dev.tanrenai.evaluate.score.ScoringSession;
import dev.tanrenai.evaluate.suite.Suite;
import dev.tanrenai.evaluate.suite.SuiteInfo;
import dev.tanrenai.evaluate.suite.SuiteKind;
import dev.tanrenai.evaluate.suite.SuiteRun;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An lm-evaluation-harness task as a suite: id {@code tasks/<task>}, version {@code metadata.version},
 * content SHA-256 over the SHA-256 of the task file and of every data file it reads, the seed and
 * {@code num_fewshot} (and the limit), so a changed file, seed or shot count is a different suite.
 */
public final class TaskSuite implements Suite {

    /** lm-eval's default few-shot seed. */
    public static final long DEFAULT_SEED = 1234;

    private final TaskConfig task;
    private final long seed;
    private final SuiteInfo info;

    public TaskSuite(TaskConfig task, long seed) {
        this.task = Objects.requireNonNull(task, "task");
        this.seed = seed;
        StringBuilder hash = new StringBuilder(
                "tasks;seed=" + seed + ";num_fewshot=" + task.numFewshot() + ";limit=" + task.limit() + ";");
        List<Map<String, Object>> files = new ArrayList<>();
        task.files().forEach((path, sha) -> {
            hash.append(path).append('=').append(sha).append(';');
            files.add(Map.of("path", path, "sha256", sha));
        });
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("files", files);
        source.put("documents", task.scoredDocs().size());
        source.put("seed", seed);
        source.put("numFewshot", task.numFewshot());
        String description = "lm-eval task " + task.name() + " ("
                + task.outputType().id() + ", "
                + task.scoredDocs().size() + " documents, " + task.numFewshot() + "-shot): "
                + String.join(
                        ", ",
                        task.metrics().stream().map(m -> m.metric().name()).toList());
        this.info = new SuiteInfo(
                SuiteKind.TASKS.id() + "/" + task.name(),
                SuiteKind.TASKS,
                task.version(),
                Sha256.ofBytes(hash.toString().getBytes(StandardCharsets.UTF_8)),
                description,
                source);
    }

    public TaskConfig task() {
        return task;
    }

    @Override
    public SuiteInfo info() {
        return info;
    }

    @Override
    public List<Metric> metrics() {
        return task.metrics().stream().map(TaskMetric::metric).toList();
    }

    /** lm-eval's standard error of {@code metric} over {@code items} (see {@link dev.tanrenai.evaluate.stats.StandardErrors}). */
    public static double standardError(Metric metric, List<ItemScore> items) {
        return dev.tanrenai.evaluate.stats.StandardErrors.of(metric, items);
    }

    @Override
    public SuiteRun score(ScoringSession session, ModelUnderTest model, SuiteRun reference) {
        Counting counting = new Counting(session.languageModel(model));
        List<ItemScore> items = TaskRunner.run(task, counting, seed);
        Map<String, Object> notes = new LinkedHashMap<>();
        notes.put("documents", items.size());
        notes.put("seed", seed);
        notes.put("requests", counting.requests);
        return new SuiteRun(info, model.cacheKey(), null, items, List.of(), null, null, notes, counting.tokens);
    }

    /** Counts the requests and the scored tokens of a language model. */
    private static final class Counting implements LanguageModel {
        private final LanguageModel inner;
        long requests;
        long tokens;

        Counting(LanguageModel inner) {
            this.inner = inner;
        }

        @Override
        public List<Loglikelihood> loglikelihood(List<ContinuationRequest> r) {
            List<Loglikelihood> out = inner.loglikelihood(r);
            requests += r.size();
            out.forEach(l -> tokens += l.tokens());
            return out;
        }

        @Override
        public List<RollingLoglikelihood> loglikelihoodRolling(List<String> texts) {
            List<RollingLoglikelihood> out = inner.loglikelihoodRolling(texts);
            requests += texts.size();
            out.forEach(l -> tokens += l.tokens());
            return out;
        }

        @Override
        public List<String> generateUntil(List<GenerationTask> tasks) {
            requests += tasks.size();
            return inner.generateUntil(tasks);
        }
    }
}
