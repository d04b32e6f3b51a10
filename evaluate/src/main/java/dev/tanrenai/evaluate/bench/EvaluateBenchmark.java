package dev.tanrenai.evaluate.bench;

import dev.tanrenai.decoder.ForwardEngine;
import dev.tanrenai.decoder.Precision;
import dev.tanrenai.decoder.lora.LoraConfig;
import dev.tanrenai.evaluate.score.ModelUnderTest;
import dev.tanrenai.evaluate.score.ScoringRequest;
import dev.tanrenai.evaluate.score.ScoringSession;
import dev.tanrenai.evaluate.score.ScoringSettings;
import dev.tanrenai.evaluate.score.SequenceScore;
import dev.tanrenai.evaluate.score.TokenScorer;
import dev.tanrenai.models.runtime.RuntimeOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Forward-only scoring throughput of a GGUF model with a LoRA adapter, the way an evaluation scores:
 * {@link TokenScorer} through a {@link ScoringSession} on sequences of random tokens of {@code
 * sequenceLength} tokens each (one training step's sequence in {@code bench train}), each one window,
 * scored side by side as an evaluation batches them ({@link ScoringSettings#DEFAULT_BATCH_TOKENS} rows
 * times length per forward pass: four sequences of 512 in one pass).
 *
 * <p>Four passes are timed at each {@link Precision} (float32, then bf16), each over the same
 * {@code sequences} sequences, after {@code warmup} untimed repetitions:
 *
 * <ol>
 *   <li>{@value #PLAIN}: the candidate's log-probabilities and greedy flags only;
 *   <li>{@value #PLAIN_DJL}: the same with each forward pass run as DJL operations, one JNI call each
 *       ({@link ForwardEngine#DJL}), instead of one TorchScript call (every other pass): what the
 *       scripted pass saves;
 *   <li>{@value #KEEP_TOP_K}: the champion, also keeping its top-K tokens per position (what the
 *       baseline pass of a general suite keeps as the reference);
 *   <li>{@value #WITH_REFERENCE}: the candidate against that reference, computing the per-position KL
 *       and top-1 agreement (the candidate pass of a general suite).
 * </ol>
 *
 * Each pass's time is the median of its timed repetitions; tokens/s is {@code sequences ·
 * sequenceLength / median}, counting every position fed through the decoder (as {@code bench train}
 * counts a step's tokens), taken from what the scorer reports per forward pass. The bf16 scores of
 * the last repetitions are compared with the float32 ones ({@link PrecisionAccuracy}).
 */
public final class EvaluateBenchmark {

    public static final String PLAIN = "forward";
    public static final String PLAIN_DJL = "forward, DJL ops";
    public static final String KEEP_TOP_K = "forward+top-K (baseline)";
    public static final String WITH_REFERENCE = "forward+KL (candidate)";

    /**
     * One timed scoring pass.
     *
     * @param mode {@link #PLAIN}, {@link #PLAIN_DJL}, {@link #KEEP_TOP_K} or {@link #WITH_REFERENCE}
     * @param precision the matrix products' precision
     * @param tokens positions fed through the decoder per repetition
     * @param repetitions timed repetitions
     * @param seconds median repetition time
     * @param secondsP90 90th-percentile repetition time
     * @param tokensPerSecond tokens / seconds
     */
    public record Pass(
            String mode,
            Precision precision,
            long tokens,
            int repetitions,
            double seconds,
            double secondsP90,
            double tokensPerSecond) {
        public Pass {
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(precision, "precision");
            if (tokens < 1 || repetitions < 1 || !(seconds > 0) || !(secondsP90 >= seconds)) {
                throw new IllegalArgumentException("pass " + mode + ": tokens " + tokens + ", repetitions "
                        + repetitions + ", seconds " + seconds + ", p90 " + secondsP90);
            }
        }
    }

    /**
     * @param model the model file's name
     * @param architecture its decoder architecture
     * @param sequenceLength tokens per sequence (one window each)
     * @param sequences sequences per repetition
     * @param sequencesPerPass sequences scored side by side in one forward pass (the last pass may hold fewer)
     * @param klTopK reference tokens kept per position
     * @param passes the four timed passes in float32, then the four in bf16, in the order above
     * @param meanKl mean KL(champion ‖ candidate) per scored position in the last float32 {@link
     *     #WITH_REFERENCE} repetition (nats; above 0, since the two random adapters differ)
     * @param meanKlBf16 the same in bf16
     * @param bf16Accuracy what bf16 changes in the candidate's and the paired scores
     * @param peakRssBytes the process's peak resident memory after the passes, -1 when unknown
     */
    public record Result(
            String model,
            String architecture,
            int sequenceLength,
            int sequences,
            int sequencesPerPass,
            int klTopK,
            List<Pass> passes,
            double meanKl,
            double meanKlBf16,
            PrecisionAccuracy bf16Accuracy,
            long peakRssBytes) {
        public Result {
            passes = List.copyOf(passes);
            Objects.requireNonNull(bf16Accuracy, "bf16Accuracy");
        }

        /** The pass of {@code mode} at {@code precision}. */
        public Pass pass(String mode, Precision precision) {
            return passes.stream()
                    .filter(p -> p.mode().equals(mode) && p.precision() == precision)
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(
                            "no pass " + mode + " in " + precision.key() + " in " + passes));
        }
    }

    private EvaluateBenchmark() {}

    /**
     * Writes a champion and a candidate random adapter of {@code lora}'s shape for {@code model} into
     * {@code workDir} and times the three passes.
     *
     * @param runtime llama.cpp options (native directory); the scorer itself runs on DJL
     * @throws IllegalArgumentException when the model's context is shorter than {@code sequenceLength}
     */
    public static Result run(
            Path model,
            LoraConfig lora,
            int sequenceLength,
            int sequences,
            int warmup,
            int repetitions,
            RuntimeOptions runtime,
            Path workDir)
            throws IOException {
        if (sequenceLength < 2 || sequences < 1 || warmup < 0 || repetitions < 1) {
            throw new IllegalArgumentException("sequenceLength must be >= 2, sequences and repetitions >= 1, warmup"
                    + " >= 0; got " + sequenceLength + ", " + sequences + ", " + repetitions + ", " + warmup);
        }
        Files.createDirectories(workDir);
        String stem = model.getFileName().toString().replace(".gguf", "");
        Path championFile = workDir.resolve(stem + "-champion-lora.gguf");
        Path candidateFile = workDir.resolve(stem + "-candidate-lora.gguf");
        String architecture =
                RandomAdapter.write(model, lora, 0.02f, 1, championFile).architecture();
        RandomAdapter.write(model, lora, 0.02f, 2, candidateFile);
        ModelUnderTest champion = ModelUnderTest.ofFiles(model, championFile);
        ModelUnderTest candidate = ModelUnderTest.ofFiles(model, candidateFile);
        ScoringSettings settings = new ScoringSettings(
                sequenceLength,
                Math.max(sequenceLength, ScoringSettings.DEFAULT_BATCH_TOKENS),
                ScoringSettings.DEFAULT_KL_TOP_K);
        RuntimeOptions options = runtime.withContextLength(Math.max(runtime.contextLength(), sequenceLength));
        try (ScoringSession session = ScoringSession.open(candidate, options, settings)) {
            if (session.settings().window() < sequenceLength) {
                throw new IllegalArgumentException(
                        model + " has a context of " + session.settings().window()
                                + " tokens, shorter than the benchmark's sequence length " + sequenceLength
                                + " (give a smaller --seq-len)");
            }
            List<ScoringRequest> requests = randomRequests(sequences, sequenceLength, session.vocabularySize());
            List<Pass> passes = new ArrayList<>();
            Map<Precision, Scored> scored = new EnumMap<>(Precision.class);
            for (Precision precision : Precision.values()) {
                TokenScorer championScorer = session.scorer(champion, precision);
                TokenScorer candidateScorer = session.scorer(candidate, precision);
                System.gc(); // loading leaves the dequantized copies behind: collect them before timing
                AtomicReference<List<SequenceScore>> last = new AtomicReference<>();
                passes.add(time(
                        PLAIN,
                        precision,
                        warmup,
                        repetitions,
                        last,
                        p -> candidateScorer.score(requests, false, null, session.manager(), p)));
                List<SequenceScore> candidateScores = last.get();
                TokenScorer djlScorer = session.scorer(candidate, precision, ForwardEngine.DJL);
                passes.add(time(
                        PLAIN_DJL,
                        precision,
                        warmup,
                        repetitions,
                        last,
                        p -> djlScorer.score(requests, false, null, session.manager(), p)));
                requireSameScores(candidateScores, last.get(), precision);
                passes.add(time(
                        KEEP_TOP_K,
                        precision,
                        warmup,
                        repetitions,
                        last,
                        p -> championScorer.score(requests, true, null, session.manager(), p)));
                List<SequenceScore> reference = last.get();
                passes.add(time(
                        WITH_REFERENCE,
                        precision,
                        warmup,
                        repetitions,
                        last,
                        p -> candidateScorer.score(requests, false, reference, session.manager(), p)));
                scored.put(precision, new Scored(candidateScores, reference, meanKl(last.get())));
            }
            Scored fp32 = scored.get(Precision.FLOAT32);
            Scored bf16 = scored.get(Precision.BFLOAT16);
            return new Result(
                    model.getFileName().toString(),
                    architecture,
                    sequenceLength,
                    sequences,
                    Math.min(sequences, session.settings().batchTokens() / sequenceLength),
                    Math.min(settings.klTopK(), session.vocabularySize()),
                    passes,
                    fp32.meanKl(),
                    bf16.meanKl(),
                    PrecisionAccuracy.of(fp32.candidate(), bf16.candidate(), fp32.champion(), bf16.champion()),
                    PeakRss.bytes());
        }
    }

    /**
     * The DJL ops' log-probabilities must be the TorchScript pass's: to 1e-5 in fp32 (the parity tests'
     * tolerance), to 5e-3 in bf16, where a last-bit float32 difference (the batched, chunked attention's)
     * can move a bf16 rounding by one step, 2^-8 of a value: on the tiny llama's random tokens one
     * position moved by 1.03e-3 (the parity tests, on their inputs, measure 0 and allow 1e-3), against
     * up to 0.017 between bf16 and fp32 themselves. A benchmark of a wrong pass is refused.
     */
    private static void requireSameScores(List<SequenceScore> scripted, List<SequenceScore> djl, Precision precision) {
        double tolerance =
                switch (precision) {
                    case FLOAT32 -> 1e-5;
                    case BFLOAT16 -> 5e-3;
                };
        for (int r = 0; r < scripted.size(); r++) {
            float[] a = scripted.get(r).logProbs();
            float[] b = djl.get(r).logProbs();
            for (int i = 0; i < a.length; i++) {
                if (!(Math.abs(a[i] - b[i]) <= tolerance)) {
                    throw new IllegalStateException("in " + precision.key() + ", sequence " + r + " position " + i
                            + ": the TorchScript pass gives log p " + a[i] + ", the DJL ops " + b[i]);
                }
            }
        }
    }

    /** One precision's last candidate and champion scores, and the candidate's mean KL against the champion. */
    private record Scored(List<SequenceScore> candidate, List<SequenceScore> champion, double meanKl) {}

    private static double meanKl(List<SequenceScore> scores) {
        double kl = 0;
        long positions = 0;
        for (SequenceScore s : scores) {
            kl += s.klSum();
            positions += s.count();
        }
        return kl / positions;
    }

    private interface Scoring {
        List<SequenceScore> score(TokenScorer.Progress progress);
    }

    /** Times {@code scoring}; {@code last} receives the scores of the last repetition. */
    private static Pass time(
            String mode,
            Precision precision,
            int warmup,
            int repetitions,
            AtomicReference<List<SequenceScore>> last,
            Scoring scoring) {
        double[] seconds = new double[repetitions];
        long tokens = -1;
        for (int i = 0; i < warmup + repetitions; i++) {
            long[] counted = {0};
            long start = System.nanoTime();
            last.set(scoring.score(t -> counted[0] += t));
            double elapsed = (System.nanoTime() - start) / 1e9;
            if (i >= warmup) {
                seconds[i - warmup] = elapsed;
            }
            if (tokens >= 0 && counted[0] != tokens) {
                throw new IllegalStateException(mode + " (" + precision.key() + "): repetition " + i + " scored "
                        + counted[0] + " tokens, an earlier one " + tokens);
            }
            tokens = counted[0];
        }
        double[] sorted = seconds.clone();
        Arrays.sort(sorted);
        double median = sorted[sorted.length / 2];
        double p90 = sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.9) - 1)];
        return new Pass(mode, precision, tokens, repetitions, median, p90, tokens / median);
    }

    /** {@code n} sequences of {@code length} seeded random tokens, every token after the first scored. */
    static List<ScoringRequest> randomRequests(int n, int length, int vocabulary) {
        SplittableRandom random = new SplittableRandom(7);
        List<ScoringRequest> requests = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            int[] tokens = new int[length];
            for (int i = 0; i < length; i++) {
                tokens[i] = random.nextInt(vocabulary);
            }
            requests.add(ScoringRequest.all("bench-" + r, tokens));
        }
        return requests;
    }
}
