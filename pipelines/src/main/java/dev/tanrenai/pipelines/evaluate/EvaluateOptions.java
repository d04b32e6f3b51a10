package dev.tanrenai.pipelines.evaluate;

import dev.tanrenai.decoder.Precision;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What {@code pipeline run evaluate} was asked, before anything is resolved.
 *
 * @param candidate registry reference (alias, id, SHA-256 prefix) or adapter .gguf file
 * @param baseline registry reference or adapter file; null = the {@code champion} alias, or the base model
 * @param dataset curated snapshot whose held-out split is scored; null = the one the candidate was trained on,
 *     else the latest curated snapshot
 * @param general reference text files (.txt paragraphs or .jsonl {"text"}); empty = the bundled TinyStories slice
 * @param tasks lm-eval task YAML files or bundled task names (arc_easy, piqa, hellaswag, lambada)
 * @param probes probe YAML; null = {@code <home>/probes.yaml} when it exists
 * @param policy policy YAML; null = {@code <home>/policy.yaml} when it exists, else the defaults
 * @param forceReason non-null to force a promotion (needs --force --reason)
 * @param generalDocuments the most general documents scored
 * @param replaySample conversations sampled from the replay buffer
 * @param precision the likelihood scorer's matrix-product precision (both models of the evaluation)
 */
public record EvaluateOptions(
        String candidate,
        String baseline,
        String dataset,
        List<Path> general,
        List<String> tasks,
        Path probes,
        Path policy,
        String forceReason,
        int generalDocuments,
        int replaySample,
        Precision precision) {

    /** The alias evaluated by default. */
    public static final String CHALLENGER = "challenger";

    /** The alias compared against by default. */
    public static final String CHAMPION = "champion";

    public static final int DEFAULT_GENERAL_DOCUMENTS = 200;

    public EvaluateOptions {
        Objects.requireNonNull(candidate, "candidate");
        general = List.copyOf(general);
        tasks = List.copyOf(tasks);
        Objects.requireNonNull(precision, "precision");
        if (generalDocuments < 1) {
            throw new IllegalArgumentException("--general-documents must be >= 1, got " + generalDocuments);
        }
        if (replaySample < 1) {
            throw new IllegalArgumentException("--replay-sample must be >= 1, got " + replaySample);
        }
        if (forceReason != null && forceReason.isBlank()) {
            throw new IllegalArgumentException("--force needs --reason TEXT: say why the gate is overridden");
        }
    }
}
