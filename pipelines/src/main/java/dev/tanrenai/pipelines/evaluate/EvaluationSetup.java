package dev.tanrenai.pipelines.evaluate;

import dev.tanrenai.datasets.snapshot.DatasetSnapshot;
import dev.tanrenai.datasets.snapshot.SnapshotCatalog;
import dev.tanrenai.datasets.store.ConversationStore;
import dev.tanrenai.datasets.store.Database;
import dev.tanrenai.datasets.store.StoredFeedback;
import dev.tanrenai.evaluate.gate.Policy;
import dev.tanrenai.evaluate.gate.PolicyYaml;
import dev.tanrenai.evaluate.probes.ProbeFile;
import dev.tanrenai.evaluate.probes.ProbeSuite;
import dev.tanrenai.evaluate.run.EvaluationPlan;
import dev.tanrenai.evaluate.score.ScoringSettings;
import dev.tanrenai.evaluate.suite.ConversationSuite;
import dev.tanrenai.evaluate.suite.FeedbackSuite;
import dev.tanrenai.evaluate.suite.GeneralSuite;
import dev.tanrenai.evaluate.suite.GeneralText;
import dev.tanrenai.evaluate.suite.Suite;
import dev.tanrenai.evaluate.suite.SuiteKind;
import dev.tanrenai.evaluate.tasks.BundledTasks;
import dev.tanrenai.evaluate.tasks.TaskFile;
import dev.tanrenai.evaluate.tasks.TaskSuite;
import dev.tanrenai.models.registry.Adapter;
import dev.tanrenai.models.registry.ModelRegistry;
import dev.tanrenai.models.runtime.RuntimeOptions;
import dev.tanrenai.pipelines.config.TanrenaiConfig;
import dev.tanrenai.pipelines.datasets.SnapshotReference;
import dev.tanrenai.pipelines.stages.ExtractCurate;
import dev.tanrenai.train.loop.TrainingLoop;
import dev.tanrenai.train.replay.ReplayBuffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns what {@code pipeline run evaluate} was asked into an {@link EvaluationPlan}: resolves the two
 * models in the registry, builds every suite from the home (held-out split, replay buffer, reference
 * text, tasks, probes, feedback) and records why a suite could not be built, so the gate can refuse
 * when the policy requires it.
 */
public final class EvaluationSetup {

    /** The bundled general text: the head of TinyStories' validation split (see its LICENSE-NOTE). */
    public static final String BUNDLED_GENERAL = "/dev/tanrenai/evaluate/general/tinystories-val-head.txt";

    private static final int FEEDBACK_PAGE = 10_000;

    private EvaluationSetup() {}

    /**
     * @param db the store database
     * @param registry the model registry over {@code db}
     */
    public static EvaluationPlan plan(
            TanrenaiConfig config, EvaluateOptions options, Database db, ModelRegistry registry) throws IOException {
        String baselineName = options.baseline();
        if (baselineName == null) {
            baselineName = registry.alias(EvaluateOptions.CHAMPION).isPresent() ? EvaluateOptions.CHAMPION : null;
        }
        Path championBase = registry.alias(EvaluateOptions.CHAMPION)
                .map(r -> r.base().path())
                .orElse(null);
        ModelChoice candidate = ModelChoice.resolve(options.candidate(), registry, championBase, "--candidate");
        if (!candidate.model().hasAdapter()) {
            throw new IllegalArgumentException("--candidate: " + candidate.label()
                    + " is a base model; evaluate an adapter trained on it (e.g. the challenger alias)");
        }
        ModelChoice baseline = baselineName == null
                ? new ModelChoice(
                        candidate.model().base(),
                        "base model " + candidate.model().basePath().getFileName() + " (no champion yet)",
                        null)
                : ModelChoice.resolve(baselineName, registry, candidate.model().basePath(), "--baseline");
        Adapter candidateAdapter =
                candidate.ref() != null ? candidate.ref().adapterIfAny().orElse(null) : null;

        Policy policy = policy(config, options);
        List<Suite> suites = new ArrayList<>();
        Map<String, String> absent = new LinkedHashMap<>();
        Map<String, Object> lineage = new LinkedHashMap<>();

        DatasetSnapshot snapshot = snapshot(config, options, candidateAdapter);
        if (snapshot == null) {
            absent.put(SuiteKind.HELDOUT.id(), "there is no curated snapshot (run `pipeline run curate`)");
        } else {
            lineage.put("snapshotId", snapshot.id());
            lineage.put("dataset", snapshot.manifest().dataset());
            lineage.put("curateCounts", snapshot.manifest().counts());
            lineage.put("inputs", snapshot.manifest().provenance());
            try {
                suites.add(ConversationSuite.heldout(snapshot));
            } catch (IllegalArgumentException e) {
                absent.put(SuiteKind.HELDOUT.id(), "the held-out split is empty: " + e.getMessage());
            }
        }
        if (candidateAdapter != null) {
            lineage.put("adapterProvenance", candidateAdapter.provenance());
            String share = candidateAdapter.provenance().get("replay.share");
            if (share != null) {
                lineage.put("replayShare", Double.parseDouble(share));
            }
        }

        Optional<ReplayBuffer> buffer = ReplayBuffer.existing(db);
        List<dev.tanrenai.datasets.Conversation> earlier = buffer.isEmpty()
                ? List.of()
                : buffer.get().contentsNotAddedBy(candidateAdapter == null ? null : candidateAdapter.producingRunId());
        if (earlier.isEmpty()) {
            absent.put(SuiteKind.REPLAY.id(), "the replay buffer holds no conversation from an earlier night");
        } else {
            suites.add(ConversationSuite.replay(earlier, options.replaySample(), policy.seed()));
        }

        List<GeneralText> texts = new ArrayList<>();
        for (Path f : options.general()) {
            texts.add(GeneralText.read(f));
        }
        if (texts.isEmpty()) {
            texts.add(GeneralText.resource("tinystories-val-head.txt", BUNDLED_GENERAL));
        }
        suites.add(GeneralSuite.of(texts, options.generalDocuments()));

        for (String task : options.tasks()) {
            suites.add(new TaskSuite(task(config, task), TaskSuite.DEFAULT_SEED));
        }

        Path probes = options.probes() != null
                ? options.probes()
                : config.home().root().resolve("probes.yaml");
        if (options.probes() != null || Files.isRegularFile(probes)) {
            suites.add(ProbeSuite.of(ProbeFile.read(probes)));
        }

        feedback(db, suites, absent);

        EvaluationPlan.TrainingInfo training = null;
        if (candidateAdapter != null && candidateAdapter.producingRunId() != null) {
            Path runDir = config.home().runsDir().resolve(candidateAdapter.producingRunId());
            training = new EvaluationPlan.TrainingInfo(
                    candidateAdapter.producingRunId(),
                    runDir.resolve(TrainingLoop.METRICS_FILE),
                    new LinkedHashMap<>(candidateAdapter.provenance()));
        }
        RuntimeOptions runtime = RuntimeOptions.defaults(
                        candidate.model().basePath(), config.home().nativeDir())
                .withThreads(config.runtimeThreads())
                .withContextLength(config.runtimeContextLength());
        return new EvaluationPlan(
                candidate.model(),
                candidate.label(),
                candidate.adapterId(),
                baseline.model(),
                baseline.label(),
                baseline.adapterId(),
                suites,
                absent,
                policy,
                options.forceReason(),
                ScoringSettings.defaults().withPrecision(options.precision()),
                runtime,
                config.home().evaluationsDir(),
                training,
                lineage);
    }

    private static Policy policy(TanrenaiConfig config, EvaluateOptions options) {
        if (options.policy() != null) {
            return PolicyYaml.read(options.policy());
        }
        Path inHome = config.home().root().resolve("policy.yaml");
        return Files.isRegularFile(inHome) ? PolicyYaml.read(inHome) : Policy.defaults();
    }

    private static DatasetSnapshot snapshot(TanrenaiConfig config, EvaluateOptions options, Adapter candidate)
            throws IOException {
        if (options.dataset() != null) {
            return SnapshotReference.open(options.dataset(), config.home().datasetsDir());
        }
        SnapshotCatalog catalog = new SnapshotCatalog(config.home().datasetsDir());
        if (candidate != null && candidate.datasetSnapshotId() != null) {
            for (String dataset : catalog.datasets()) {
                if (catalog.snapshotIds(dataset).contains(candidate.datasetSnapshotId())) {
                    return catalog.open(dataset, candidate.datasetSnapshotId());
                }
            }
        }
        return catalog.latest(ExtractCurate.CURATED).orElse(null);
    }

    private static dev.tanrenai.evaluate.tasks.TaskConfig task(TanrenaiConfig config, String task) throws IOException {
        if (BundledTasks.NAMES.contains(task)) {
            Path dir = Files.createDirectories(config.home().evaluationsDir().resolve("tasks"));
            return BundledTasks.load(task, dir);
        }
        Path file = Path.of(task);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(
                    "--tasks: '" + task + "' is neither a task file nor a bundled task " + BundledTasks.NAMES);
        }
        return TaskFile.read(file);
    }

    private static void feedback(Database db, List<Suite> suites, Map<String, String> absent) {
        ConversationStore store = new ConversationStore(db);
        List<dev.tanrenai.datasets.Feedback> all = new ArrayList<>();
        long watermark = 0;
        while (true) {
            List<StoredFeedback> page = store.feedbackSince(watermark, FEEDBACK_PAGE);
            for (StoredFeedback f : page) {
                all.add(f.feedback());
                watermark = Math.max(watermark, f.seq());
            }
            if (page.size() < FEEDBACK_PAGE) {
                break;
            }
        }
        if (all.isEmpty()) {
            absent.put(SuiteKind.FEEDBACK.id(), "no user has rated an answer yet");
            return;
        }
        try {
            suites.add(FeedbackSuite.of(all, store::get));
        } catch (IllegalArgumentException e) {
            absent.put(SuiteKind.FEEDBACK.id(), e.getMessage());
        }
    }
}
