package dev.tanrenai.evaluate.tasks;

import dev.tanrenai.evaluate.result.Metric;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One {@code metric_list} entry: the metric and, for {@code exact_match}, how answers are normalised
 * before comparison (lm-eval / HF {@code evaluate}'s order: every {@code regexes_to_ignore} match is
 * removed, then case is folded, then ASCII punctuation is removed).
 *
 * @param metric the declaration reports and statistics use
 * @param ignoreCase fold case before comparing ({@code exact_match} only)
 * @param ignorePunctuation remove {@code string.punctuation} characters before comparing
 * @param regexesToIgnore Java regular expressions whose matches are removed (Python's {@code re}
 *     syntax agrees for the usual patterns)
 */
public record TaskMetric(Metric metric, boolean ignoreCase, boolean ignorePunctuation, List<Pattern> regexesToIgnore) {

    /** The item values each metric reads. */
    static final String ACC = "acc";

    static final String ACC_NORM = "acc_norm";
    static final String ACC_BYTES = "acc_bytes";
    static final String EXACT_MATCH = "exact_match";
    static final String LL = "ll";
    static final String WORDS = "words";
    static final String BYTES = "bytes";

    private static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    private static final Map<String, Metric> DEFINITIONS = Map.of(
            ACC,
            Metric.accuracy(
                    ACC,
                    "share of documents whose gold answer wins: for multiple choice the choice of the highest"
                            + " loglikelihood (first on ties), for loglikelihood the target is the greedy continuation"),
            ACC_NORM,
            Metric.accuracy(
                    ACC_NORM,
                    "share of documents whose gold choice has the highest loglikelihood divided by the choice's"
                            + " length in characters (lm-eval acc_norm)"),
            ACC_BYTES,
            Metric.accuracy(
                    ACC_BYTES,
                    "share of documents whose gold choice has the highest loglikelihood divided by the choice's"
                            + " UTF-8 byte count"),
            EXACT_MATCH,
            Metric.accuracy(
                    EXACT_MATCH, "share of documents whose greedy generation equals the target after normalisation"),
            "perplexity",
            new Metric(
                    "perplexity",
                    "exp(-mean over documents of the target's loglikelihood) (lm-eval perplexity)",
                    Metric.Kind.MEAN,
                    LL,
                    null,
                    1,
                    Metric.Transform.EXP_NEG,
                    false,
                    false),
            "word_perplexity",
            new Metric(
                    "word_perplexity",
                    "exp(-Σ loglikelihood / Σ words), words = pieces of a split on white-space runs",
                    Metric.Kind.RATIO,
                    LL,
                    WORDS,
                    1,
                    Metric.Transform.EXP_NEG,
                    false,
                    false),
            "byte_perplexity",
            new Metric(
                    "byte_perplexity",
                    "exp(-Σ loglikelihood / Σ UTF-8 bytes)",
                    Metric.Kind.RATIO,
                    LL,
                    BYTES,
                    1,
                    Metric.Transform.EXP_NEG,
                    false,
                    false),
            "bits_per_byte",
            Metric.ratio(
                    "bits_per_byte", "-Σ loglikelihood / (ln 2 · Σ UTF-8 bytes)", LL, BYTES, -1 / Math.log(2), false));

    /** lm-eval's aggregation name for each metric (a task file may only restate it). */
    static final Map<String, String> AGGREGATIONS = Map.of(
            ACC,
            "mean",
            ACC_NORM,
            "mean",
            ACC_BYTES,
            "mean",
            EXACT_MATCH,
            "mean",
            "perplexity",
            "perplexity",
            "word_perplexity",
            "weighted_perplexity",
            "byte_perplexity",
            "weighted_perplexity",
            "bits_per_byte",
            "bits_per_byte");

    public TaskMetric {
        Objects.requireNonNull(metric, "metric");
        regexesToIgnore = List.copyOf(regexesToIgnore);
        if (!metric.name().equals(EXACT_MATCH) && (ignoreCase || ignorePunctuation || !regexesToIgnore.isEmpty())) {
            throw new IllegalArgumentException(
                    "ignore_case, ignore_punctuation and regexes_to_ignore apply to exact_match only, not "
                            + metric.name());
        }
    }

    /** The metrics each output type computes. */
    static List<String> supported(OutputType type) {
        return switch (type) {
            case MULTIPLE_CHOICE -> List.of(ACC, ACC_NORM, ACC_BYTES);
            case LOGLIKELIHOOD -> List.of("perplexity", ACC);
            case LOGLIKELIHOOD_ROLLING -> List.of("word_perplexity", "byte_perplexity", "bits_per_byte");
            case GENERATE_UNTIL -> List.of(EXACT_MATCH);
        };
    }

    /** The declaration of {@code name} (one of {@link #supported}). */
    static Metric definition(String name) {
        Metric m = DEFINITIONS.get(name);
        if (m == null) {
            throw new IllegalArgumentException("unknown metric " + name);
        }
        return m;
    }

    /** {@code name} with lm-eval's defaults. */
    static TaskMetric plain(String name) {
        return new TaskMetric(definition(name), false, false, List.of());
    }

    /** {@code answer} normalised as this metric compares it. */
    String normalise(String answer) {
        String s = answer;
        for (Pattern p : regexesToIgnore) {
            s = p.matcher(s).replaceAll("");
        }
        if (ignoreCase) {
            s = s.toLowerCase(java.util.Locale.ROOT);
        }
        if (ignorePunctuation) {
            StringBuilder out = new StringBuilder(s.length());
            s.codePoints().filter(c -> PUNCTUATION.indexOf(c) < 0).forEach(out::appendCodePoint);
            s = out.toString();
        }
        return s;
    }

    /** 1 when {@code prediction} equals {@code reference} after normalisation, else 0. */
    double exactMatch(String prediction, String reference) {
        return normalise(prediction).equals(normalise(reference)) ? 1 : 0;
    }
}
