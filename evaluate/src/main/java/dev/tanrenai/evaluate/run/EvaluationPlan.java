package dev.tanrenai.evaluate.run;

import dev.tanrenai.evaluate.gate.Policy;
import dev.tanrenai.evaluate.score.ModelUnderTest;
import dev.tanrenai.evaluate.score.ScoringSettings;
import dev.tanrenai.evaluate.suite.Suite;
import dev.tanrenai.models.runtime.RuntimeOptions;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything one evaluation needs: the two models, the suites, the policy and where results go.
 *
 * @param candidate the model under test (an adapter over the base)
 * @param candidateLabel how the user named it (alias, id, path)
 * @param candidateAdapterId its registry adapter id, or null when given as a file
 * @param baseline what it is compared with: the champion, or the base model when there is none
 * @param baselineLabel how the baseline was named
 * @param baselineAdapterId the baseline's registry adapter id, or null
 * @param suites the suites to run, in order
 * @param absent suites that could not be built, with the reason (the gate fails those the policy requires)
 * @param policy the promotion policy
 * @param forceReason non-null to force a promotion (recorded as forced)
 * @param scoring how likelihoods are computed
 * @param runtime llama.cpp runtime options (threads, native directory); models are replaced per model
 * @param evaluationsDir {@code <home>/evaluations}: the cache and one folder per evaluation
 * @param training the candidate's training run (loss curve, hyper-parameters), or null when unknown
 * @param lineage data lineage for the report (snapshot ids, curate counts, replay share), may be empty
 */
public record EvaluationPlan(
        ModelUnderTest candidate,
        String candidateLabel,
        String candidateAdapterId,
        ModelUnderTest baseline,
        String baselineLabel,
        String baselineAdapterId,
        List<Suite> suites,
        Map<String, String> absent,
        Policy policy,
        String forceReason,
        ScoringSettings scoring,
        RuntimeOptions runtime,
        Path evaluationsDir,
        TrainingInfo training,
        Map<String, Object> lineage) {

    /**
     * The candidate's training run as the report shows it.
     *
     * @param runId the run id
     * @param metricsFile its {@code metrics.jsonl} (one JSON object per step with {@code step} and {@code loss}), or null
     * @param hyperparameters as recorded by the run
     */
    public record TrainingInfo(String runId, Path metricsFile, Map<String, Object> hyperparameters) {
        public TrainingInfo {
            Objects.requireNonNull(runId, "runId");
            hyperparameters = hyperparameters == null ? Map.of() : Map.copyOf(hyperparameters);
        }
    }

    public EvaluationPlan {
        Objects.requireNonNull(candidate, "candidate");
        Objects.requireNonNull(baseline, "baseline");
        Objects.requireNonNull(candidateLabel, "candidateLabel");
        Objects.requireNonNull(baselineLabel, "baselineLabel");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(scoring, "scoring");
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(evaluationsDir, "evaluationsDir");
        suites = List.copyOf(suites);
        absent = Collections.unmodifiableMap(new LinkedHashMap<>(absent));
        lineage = lineage == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(lineage));
        if (!candidate.hasAdapter()) {
            throw new IllegalArgumentException(
                    "the candidate " + candidateLabel + " is a base model; evaluate an adapter");
        }
        if (!candidate.baseSha256().equals(baseline.baseSha256())) {
            throw new IllegalArgumentException("the candidate " + candidateLabel + " is an adapter of base model "
                    + candidate.basePath().getFileName() + " (SHA-256 "
                    + candidate.baseSha256().substring(0, 12)
                    + ") but the baseline " + baselineLabel + " is over "
                    + baseline.basePath().getFileName()
                    + " (SHA-256 " + baseline.baseSha256().substring(0, 12) + "): they cannot be compared");
        }
        if (suites.isEmpty()) {
            throw new IllegalArgumentException("an evaluation needs at least one suite");
        }
        Set<String> ids = new HashSet<>();
        for (Suite s : suites) {
            if (!ids.add(s.info().id())) {
                throw new IllegalArgumentException("suite " + s.info().id() + " appears twice in the evaluation");
            }
        }
        if (forceReason != null && forceReason.isBlank()) {
            throw new IllegalArgumentException("--force needs --reason TEXT: say why the gate is overridden");
        }
    }
}
