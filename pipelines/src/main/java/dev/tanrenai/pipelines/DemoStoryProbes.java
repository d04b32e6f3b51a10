package dev.tanrenai.pipelines;

import dev.tanrenai.evaluate.score.LanguageModel;
import dev.tanrenai.evaluate.score.ModelUnderTest;
import dev.tanrenai.evaluate.score.ScoringSession;
import dev.tanrenai.evaluate.score.ScoringSettings;
import dev.tanrenai.models.registry.ModelRef;
import dev.tanrenai.models.runtime.RuntimeOptions;
import dev.tanrenai.pipelines.cli.Output;
import dev.tanrenai.pipelines.config.TanrenaiConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's proof that the model learned: the base model and the trained adapter continue story
 * openings that no demo conversation contains, greedily (llama.cpp), and the evaluation's scoring
 * engine (the DJL decoder, parity-checked against llama.cpp) gives the probability of the taught name
 * coming next under each. A greedy answer flips only when the name becomes the likeliest word; the
 * probability shows the change even where it does not.
 */
final class DemoStoryProbes {
    /** Most tokens of a greedy continuation: enough for the name and a few words after it. */
    static final int MAX_TOKENS = 16;

    private DemoStoryProbes() {}

    /** One entry per probe, in order, with the base's and the trained adapter's answer and probability. */
    static List<Map<String, Object>> ask(
            TanrenaiConfig config, ModelRef trained, List<DemoSetup.Question> probes, Output out) throws IOException {
        ModelUnderTest adapter = ModelUnderTest.of(trained);
        ModelUnderTest base = adapter.base();
        RuntimeOptions runtime = RuntimeOptions.defaults(
                        base.basePath(), config.home().nativeDir())
                .withThreads(config.runtimeThreads())
                .withContextLength(Math.min(config.runtimeContextLength(), 512));
        List<LanguageModel.ContinuationRequest> requests = new ArrayList<>();
        List<LanguageModel.GenerationTask> tasks = new ArrayList<>();
        for (DemoSetup.Question q : probes) {
            if (q.kind() != DemoSetup.Question.Kind.STORY) {
                throw new IllegalArgumentException("not a story probe: " + q);
            }
            requests.add(new LanguageModel.ContinuationRequest(q.text(), " " + q.answerWord()));
            tasks.add(new LanguageModel.GenerationTask(q.text(), List.of("\n"), MAX_TOKENS));
        }
        List<LanguageModel.Loglikelihood> baseScores;
        List<LanguageModel.Loglikelihood> trainedScores;
        List<String> baseText;
        List<String> trainedText;
        try (ScoringSession session = ScoringSession.open(adapter, runtime, ScoringSettings.defaults())) {
            LanguageModel b = session.languageModel(base);
            LanguageModel t = session.languageModel(adapter);
            baseScores = b.loglikelihood(requests);
            trainedScores = t.loglikelihood(requests);
            baseText = b.generateUntil(tasks);
            trainedText = t.generateUntil(tasks);
        }
        List<Map<String, Object>> answers = new ArrayList<>();
        for (int i = 0; i < probes.size(); i++) {
            DemoSetup.Question q = probes.get(i);
            out.line("  " + (i + 1) + ". \"" + q.text() + " ...\"");
            out.line("     taught: " + q.taught() + " (this opening is in no conversation)");
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("opening", q.text());
            answer.put("taught", q.taught());
            answer.put("answerWord", q.answerWord());
            answer.put("base", describe("base", base.id(), baseText.get(i), baseScores.get(i), q, out));
            answer.put("trained", describe("trained", adapter.id(), trainedText.get(i), trainedScores.get(i), q, out));
            answers.add(answer);
        }
        return answers;
    }

    private static Map<String, Object> describe(
            String label,
            String modelId,
            String text,
            LanguageModel.Loglikelihood score,
            DemoSetup.Question q,
            Output out) {
        boolean says = DemoAnswers.says(text, q.answerWord());
        double probability = Math.exp(score.logProbability());
        out.line(String.format(
                Locale.ROOT,
                "     %-8s P(%s next) %s  ...%s   [%s %s]",
                label,
                q.answerWord(),
                percent(probability),
                text.stripTrailing(),
                says ? "says" : "no",
                q.answerWord()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", modelId);
        m.put("text", text);
        m.put("saysAnswer", says);
        m.put("logProbability", score.logProbability());
        m.put("probability", probability);
        m.put("answerTokens", score.tokens());
        m.put("answerIsGreedy", score.greedy());
        return m;
    }

    /** A probability as a percentage that stays readable from 0.001% to 100%. */
    static String percent(double p) {
        double pct = 100 * p;
        return pct >= 10
                ? String.format(Locale.ROOT, "%5.1f%%", pct)
                : pct >= 0.01 ? String.format(Locale.ROOT, "%5.2f%%", pct) : String.format(Locale.ROOT, "%.0e%%", pct);
    }
}
