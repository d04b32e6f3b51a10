package dev.tanrenai.evaluate.bench;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.decoder.lora.LoraConfig;
import dev.tanrenai.evaluate.gate.Policy;
import dev.tanrenai.evaluate.run.EvaluationPlan;
import dev.tanrenai.evaluate.run.EvaluationResult;
import dev.tanrenai.evaluate.run.Evaluator;
import dev.tanrenai.evaluate.score.ModelUnderTest;
import dev.tanrenai.evaluate.score.ScoringSettings;
import dev.tanrenai.evaluate.suite.ConversationSuite;
import dev.tanrenai.evaluate.suite.GeneralSuite;
import dev.tanrenai.evaluate.suite.GeneralText;
import dev.tanrenai.evaluate.suite.Suite;
import dev.tanrenai.models.runtime.RuntimeOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * What the cached champion saves: two whole evaluations ({@link Evaluator}) of one model with a fresh
 * evaluations folder, a held-out suite of seeded synthetic conversations and a general suite of the
 * bundled TinyStories validation slice. The first evaluation scores the champion (baseline) and a
 * candidate; the second, of a new candidate against the same champion, finds the champion's runs in
 * the cache and scores only the candidate, so it scores about half the tokens.
 */
public final class CachedChampionBenchmark {

    /** The bundled TinyStories validation slice (see its LICENSE-NOTE.md). */
    public static final String GENERAL_RESOURCE = "/dev/tanrenai/evaluate/general/tinystories-val-head.txt";

    /**
     * One evaluation.
     *
     * @param seconds wall time of {@link Evaluator#evaluate}, loading the models included
     * @param scoredTokens tokens the DJL decoder scored ({@link EvaluationResult#scoredTokens()})
     * @param cacheHits model runs taken from the cache ({@link EvaluationResult#cacheHits()})
     * @param decision promote or refuse (random adapters: the decision means nothing)
     */
    public record Run(String evaluationId, double seconds, long scoredTokens, int cacheHits, String decision) {
        public Run {
            Objects.requireNonNull(evaluationId, "evaluationId");
            Objects.requireNonNull(decision, "decision");
            if (!(seconds > 0) || scoredTokens < 0 || cacheHits < 0) {
                throw new IllegalArgumentException(evaluationId + ": seconds " + seconds + ", scored tokens "
                        + scoredTokens + ", cache hits " + cacheHits);
            }
        }
    }

    /**
     * @param suites the suite ids, in order
     * @param first baseline and candidate scored
     * @param second a new candidate; the baseline from the cache
     */
    public record Result(String model, List<String> suites, int conversations, int documents, Run first, Run second) {
        public Result {
            suites = List.copyOf(suites);
            Objects.requireNonNull(first, "first");
            Objects.requireNonNull(second, "second");
        }
    }

    private CachedChampionBenchmark() {}

    /**
     * Runs the two evaluations in a new folder under {@code workDir}.
     *
     * @param conversations synthetic held-out conversations, >= 1
     * @param documents general documents taken from the bundled slice, >= 1
     * @param runtime llama.cpp options (native directory, context, threads); the model is replaced per model
     */
    public static Result run(
            Path model,
            LoraConfig lora,
            int conversations,
            int documents,
            ScoringSettings scoring,
            RuntimeOptions runtime,
            Path workDir)
            throws IOException {
        Path dir = Files.createTempDirectory(Files.createDirectories(workDir), "evaluate-cache-");
        Path champion = dir.resolve("champion-lora.gguf");
        Path first = dir.resolve("candidate-1-lora.gguf");
        Path second = dir.resolve("candidate-2-lora.gguf");
        RandomAdapter.write(model, lora, 0.02f, 11, champion);
        RandomAdapter.write(model, lora, 0.02f, 12, first);
        RandomAdapter.write(model, lora, 0.02f, 13, second);
        List<Suite> suites = List.of(
                ConversationSuite.heldout(
                        syntheticConversations(conversations, 5),
                        "synthetic benchmark conversations",
                        Map.of("seed", 5)),
                GeneralSuite.of(
                        List.of(GeneralText.resource("tinystories-val-head.txt", GENERAL_RESOURCE)), documents));
        ModelUnderTest baseline = ModelUnderTest.ofFiles(model, champion);
        Path evaluations = dir.resolve("evaluations");
        Run one = evaluate(ModelUnderTest.ofFiles(model, first), baseline, suites, scoring, runtime, evaluations);
        Run two = evaluate(ModelUnderTest.ofFiles(model, second), baseline, suites, scoring, runtime, evaluations);
        return new Result(
                model.getFileName().toString(),
                suites.stream().map(s -> s.info().id()).toList(),
                conversations,
                documents,
                one,
                two);
    }

    private static Run evaluate(
            ModelUnderTest candidate,
            ModelUnderTest baseline,
            List<Suite> suites,
            ScoringSettings scoring,
            RuntimeOptions runtime,
            Path evaluations)
            throws IOException {
        EvaluationPlan plan = new EvaluationPlan(
                candidate,
                candidate.id(),
                null,
                baseline,
                baseline.id(),
                null,
                suites,
                Map.of(),
                Policy.defaults(),
                null,
                scoring,
                runtime.withAdapters(List.of()),
                evaluations,
                null,
                Map.of("benchmark", "evaluate"));
        long start = System.nanoTime();
        EvaluationResult r = new Evaluator(null, Evaluator.Listener.none()).evaluate(plan);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Run(
                r.id(), seconds, r.scoredTokens(), r.cacheHits(), r.decision().verdict());
    }

    /**
     * {@code n} seeded two-turn conversations of simple story words (ids {@code bench-000…}), so that
     * the held-out suite has varied items without any data file.
     */
    static List<Conversation> syntheticConversations(int n, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("the held-out suite needs at least one conversation, got " + n);
        }
        String[] names = {"Lily", "Tom", "Sue", "Ben", "Mia", "Max"};
        String[] things = {"ball", "cat", "tree", "boat", "cake", "dog", "kite", "star"};
        String[] feelings = {"happy", "sad", "big", "red", "little", "kind"};
        SplittableRandom random = new SplittableRandom(seed);
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        List<Conversation> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = names[random.nextInt(names.length)];
            String thing = things[random.nextInt(things.length)];
            String feeling = feelings[random.nextInt(feelings.length)];
            out.add(new Conversation(
                    String.format(java.util.Locale.ROOT, "bench-%03d", i),
                    "bench",
                    t,
                    t,
                    List.of(
                            Message.user("What did " + name + " see in the park?"),
                            Message.assistant(name + " saw a " + feeling + " " + thing + ". " + name + " was very "
                                    + feelings[random.nextInt(feelings.length)] + ".")),
                    Map.of()));
        }
        return out;
    }
}
