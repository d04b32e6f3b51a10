package dev.tanrenai.pipelines.loop;

import dev.tanrenai.datasets.lock.RunLockHeldException;
import dev.tanrenai.datasets.provenance.BuildInfo;
import dev.tanrenai.datasets.provenance.Sha256;
import dev.tanrenai.datasets.snapshot.DatasetSnapshot;
import dev.tanrenai.datasets.store.Database;
import dev.tanrenai.models.registry.AliasMove;
import dev.tanrenai.models.registry.ModelRef;
import dev.tanrenai.models.registry.ModelRegistry;
import dev.tanrenai.pipelines.cli.Output;
import dev.tanrenai.pipelines.cli.Stores;
import dev.tanrenai.pipelines.config.NightlyConfig;
import dev.tanrenai.pipelines.config.TanrenaiConfig;
import dev.tanrenai.pipelines.evaluate.EvaluateOptions;
import dev.tanrenai.pipelines.stages.HaltPoints;
import dev.tanrenai.pipelines.stages.PipelineRun;
import dev.tanrenai.train.loop.TrainListener;
import dev.tanrenai.train.replay.ReplayBuffer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * {@code pipeline run nightly} as a library: extract, curate, train, evaluate, promote, each recorded
 * in the store with its key, state, timings, hashes and counts, under the store's run lock. A stage
 * whose key (inputs, configuration, code version) equals an earlier succeeded one is reused, so a
 * rerun after a crash continues where the crash stopped it.
 */
public final class NightlyRun {

    /** Crash drills: {@link HaltPoints} the loop reaches after each stage ({@code nightly-after-train}, ...). */
    public static String haltAfter(LoopStage stage) {
        return "nightly-after-" + stage.label();
    }

    /** Crash drill: the champion alias moved, the batch not yet recorded as learned. */
    public static final String HALT_PROMOTE_MOVED = "nightly-promote-moved";

    /**
     * @param trigger what started it
     * @param resumes the run a {@code runs resume} continues, or null
     */
    public record Request(Trigger trigger, String resumes) {}

    private static final DateTimeFormatter ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final TanrenaiConfig config;
    private final Consumer<String> progress;

    /** @param progress told each line the run logs (the CLI prints them; the log file gets them regardless) */
    public NightlyRun(TanrenaiConfig config, Consumer<String> progress) {
        this.config = config;
        this.progress = progress;
    }

    /** Where the runs keep their log and report. */
    public static Path runsDir(TanrenaiConfig config) {
        return config.home().runsDir().resolve("nightly");
    }

    /** What a run would do now, without the lock and without changing anything. */
    public static NightlyPlan dryRun(TanrenaiConfig config) throws IOException {
        Database db = Stores.database(config);
        return NightlyPlan.of(config, new ModelRegistry(db, config.home()), new Batches(new RunRecords(db)));
    }

    /**
     * Records a night the scheduler did not run (a fire skipped by its misfire policy after downtime) as
     * a skipped run of trigger {@code schedule}, with the reason, so {@code runs list} shows every night.
     */
    public static RunRecord recordNotRun(TanrenaiConfig config, String schedule, Instant scheduledAt, String why)
            throws IOException {
        RunRecords records = new RunRecords(Stores.database(config));
        String id = "n-" + ID_TIME.format(scheduledAt) + "-"
                + UUID.randomUUID().toString().substring(0, 6);
        Path dir = Files.createDirectories(runsDir(config).resolve(id));
        String reason = "schedule " + schedule + " did not run its fire of " + scheduledAt + ": " + why;
        Files.writeString(dir.resolve("run.log"), Instant.now() + " run      " + id + " skipped: " + reason + "\n");
        records.createSkipped(id, Trigger.SCHEDULE, dir, scheduledAt, reason);
        RunRecord record = records.get(id);
        RunReport.write(record, config);
        return record;
    }

    /**
     * Runs the loop once.
     *
     * @return the run's record as it ended
     * @throws dev.tanrenai.datasets.lock.RunLockHeldException when another run holds the loop's lock (nothing is recorded)
     */
    public RunRecord run(Request request) throws IOException {
        Database db = Stores.database(config);
        RunRecords records = new RunRecords(db);
        String id = "n-" + ID_TIME.format(Instant.now()) + "-"
                + UUID.randomUUID().toString().substring(0, 6);
        Path dir = Files.createDirectories(runsDir(config).resolve(id));
        try (Writer logFile = Files.newBufferedWriter(
                        dir.resolve("run.log"),
                        StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
                PrintWriter logWriter = new PrintWriter(new LineForwarder(logFile, progress), true)) {
            Output log = new Output(logWriter, false);
            PipelineRun started;
            try {
                started = PipelineRun.start(config, "nightly " + id, log);
            } catch (RunLockHeldException e) {
                logWriter.close();
                deleteQuietlyEmptyRun(dir);
                throw e;
            }
            try (PipelineRun lock = started) {
                List<String> interrupted = records.markInterrupted(id);
                if (!interrupted.isEmpty()) {
                    log.line("runs     marked interrupted (their process died): " + interrupted);
                }
                records.create(id, request.trigger(), request.resumes(), dir, Instant.now());
                log.line("run      " + id + " (" + request.trigger().label()
                        + (request.resumes() == null ? "" : ", resumes " + request.resumes()) + ")");
                Outcome o;
                try {
                    o = new Flow(id, records, db, lock, log).run();
                    records.finish(id, o.state(), o.reason(), null, null);
                } catch (RunCancelledException e) {
                    records.finish(id, RunState.CANCELLED, e.getMessage(), e.stage(), e.getMessage());
                    o = new Outcome(RunState.CANCELLED, e.getMessage());
                } catch (StageFailedException e) {
                    records.finish(id, RunState.FAILED, null, e.stage(), describe(e));
                    o = new Outcome(RunState.FAILED, describe(e));
                }
                log.line("run      " + id + " " + o.state().label() + ": " + o.reason());
                RunRecord record = records.get(id);
                RunReport.write(record, config);
                notify(record);
                return record;
            }
        }
    }

    /** Removes the directory of a run that never started (refused by the lock): only its log was written. */
    private static void deleteQuietlyEmptyRun(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve("run.log"));
        Files.deleteIfExists(dir);
    }

    private static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !sb.toString().contains(c.getMessage())) {
                sb.append("; caused by: ").append(c.getMessage());
            }
        }
        return sb.toString();
    }

    private void notify(RunRecord r) {
        String url = config.nightly().webhook();
        if (url.isEmpty()) {
            return;
        }
        Webhook.Event event =
                switch (r.state()) {
                    case PROMOTED -> Webhook.Event.PROMOTED;
                    case REFUSED -> Webhook.Event.REFUSED;
                    case FAILED -> Webhook.Event.FAILED;
                    case SKIPPED, CANCELLED, RUNNING, INTERRUPTED -> null;
                };
        if (event == null) {
            return;
        }
        String text = "Tanrenai nightly run " + r.id() + " " + r.state().label() + ": "
                + (r.state() == RunState.FAILED ? "stage " + r.errorStage().label() + ": " + r.error() : r.reason())
                + " (report: " + r.reportFile() + ")";
        new Webhook(url).send(event, r.id(), text);
    }

    /** How the flow ended. */
    record Outcome(RunState state, String reason) {}

    /** One run's stages. */
    private final class Flow {
        private final String id;
        private final RunRecords records;
        private final Database db;
        private final PipelineRun lock;
        private final Output log;
        private final StageRunner runner;
        private final String code = BuildInfo.current().describe();

        Flow(String id, RunRecords records, Database db, PipelineRun lock, Output log) {
            this.id = id;
            this.records = records;
            this.db = db;
            this.lock = lock;
            this.log = log;
            NightlyConfig n = config.nightly();
            this.runner = new StageRunner(
                    Duration.ofMinutes(n.stageTimeoutMinutes()),
                    n.retries(),
                    Duration.ofSeconds(n.retryDelaySeconds()));
        }

        Outcome run() throws IOException {
            NightlyConfig n = config.nightly();
            ModelRegistry registry = new ModelRegistry(db, config.home());
            Batches batches = new Batches(records);

            LoopStages.Extracted ex = stage(
                    LoopStage.EXTRACT,
                    null,
                    null,
                    () -> LoopStages.extract(config, LoopStages.ExtractInput.STORE, log, lock),
                    e -> e.counts(),
                    e -> Map.of("snapshot", e.snapshotId()),
                    e -> null);
            LoopStages.Curated cu = stage(
                    LoopStage.CURATE,
                    null,
                    ex.snapshotId(),
                    () -> LoopStages.curate(config, LoopStages.CurateInput.nightly(n), log, lock),
                    c -> c.counts(),
                    c -> {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("snapshot", c.snapshotId());
                        m.put("inputs", c.inputs());
                        return m;
                    },
                    c -> null);
            NightlyPlan planned = NightlyPlan.of(config, registry, batches);
            log.line("plan     " + planned.pending().size() + " batch(es): " + planned.newConversations() + " new, "
                    + planned.retriedConversations() + " from refused batches; "
                    + (planned.setAside().isEmpty() ? "" : "set aside: " + planned.setAside() + "; ")
                    + "champion "
                    + (planned.champion() == null
                            ? "(none)"
                            : planned.champion().id()) + ", "
                    + (planned.continueFrom() == null
                            ? "fresh adapter on base " + planned.base().id()
                            : "continuing " + planned.continueFrom().id()));
            String skip = planned.skipReason(n);
            if (skip != null) {
                for (LoopStage s : List.of(LoopStage.TRAIN, LoopStage.EVALUATE, LoopStage.PROMOTE)) {
                    records.putStage(
                            id,
                            new StageRecord(
                                    s,
                                    StageRecord.SKIPPED,
                                    Instant.now(),
                                    Instant.now(),
                                    0,
                                    null,
                                    null,
                                    null,
                                    null,
                                    Map.of("reason", skip),
                                    null));
                }
                return new Outcome(RunState.SKIPPED, skip);
            }

            DatasetSnapshot dataset = LoopStages.merge(config, planned.pending());
            NightlyPlan plan = beforeAnUnfinishedPromotion(planned, dataset, registry);
            LoopStages.TrainInput tin =
                    LoopStages.TrainInput.nightly(dataset, plan.batchIds(), plan.base(), plan.continueFrom(), n);
            String trainKey =
                    LoopStages.hash("train", code, dataset.manifest().contentSha256(), LoopStages.trainSettings(tin));
            ReplayBuffer replay = LoopStages.replay(config, db);
            LoopStages.Trained tr = stage(
                    LoopStage.TRAIN,
                    trainKey,
                    dataset.manifest().contentSha256(),
                    () -> LoopStages.train(config, registry, replay, tin, trainListener()),
                    t -> Map.of("trainedOn", (long) t.trainedOn().size()),
                    t -> {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("adapter", t.adapterId());
                        m.put("adapterSha256", t.adapterSha256());
                        m.put("trainRun", t.trainRunId());
                        m.put("dataset", t.datasetId());
                        m.put("batches", plan.batchIds());
                        m.put("trainedOn", t.trainedOn());
                        return m;
                    },
                    t -> t.adapterSha256(),
                    LoopStages.Trained.class);

            String championId = plan.champion() == null ? null : plan.champion().id();
            String policyHash = plan.policy() == null ? policyDefaultHash() : Sha256.ofFile(plan.policy());
            String evalKey = LoopStages.hash(
                    "evaluate", code, tr.adapterId(), championId, dataset.id(), policyHash, n.generalDocuments());
            LoopStages.Evaluated ev = stage(
                    LoopStage.EVALUATE,
                    evalKey,
                    tr.adapterId(),
                    () -> LoopStages.evaluate(
                            config, tr.adapterId(), championId, dataset.dir().toString(), plan.policy()),
                    e -> Map.of(),
                    e -> {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("evaluation", e.evaluationId());
                        m.put("promote", e.promote());
                        m.put("summary", e.summary());
                        m.put("report", e.report().toString());
                        return m;
                    },
                    e -> null,
                    LoopStages.Evaluated.class);
            log.line("evaluate " + ev.evaluationId() + ": " + (ev.promote() ? "PROMOTE" : "REFUSE") + " — "
                    + ev.summary() + " (report " + ev.report() + ")");

            String promoteKey =
                    LoopStages.hash("promote", code, evalKey, ev.evaluationId(), n.promotion(), n.abShare());
            Map<String, Object> promoted = stage(
                    LoopStage.PROMOTE,
                    promoteKey,
                    ev.evaluationId(),
                    () -> promote(plan, dataset, tr, ev, registry, replay, batches),
                    p -> Map.of(),
                    p -> p,
                    p -> null,
                    Map.class);
            if (!ev.promote()) {
                return new Outcome(
                        RunState.REFUSED,
                        "evaluation " + ev.evaluationId() + " refused " + tr.adapterId() + ": " + ev.summary() + "; "
                                + promoted.get("batchPolicy"));
            }
            return new Outcome(
                    RunState.PROMOTED,
                    promoted.get("alias") + " -> " + tr.adapterId() + " (evaluation " + ev.evaluationId() + ": "
                            + ev.summary() + ")");
        }

        /**
         * When the champion is an adapter trained on these very (not yet learned) batches, a run moved the
         * alias and died before committing the lineage: the plan is made against the champion before that
         * move, so train and evaluate are reused and promote finishes the lineage.
         */
        private NightlyPlan beforeAnUnfinishedPromotion(
                NightlyPlan plan, DatasetSnapshot dataset, ModelRegistry registry) {
            ModelRef champion = plan.champion();
            if (champion == null
                    || !champion.isAdapter()
                    || !dataset.id().equals(champion.adapter().datasetSnapshotId())) {
                return plan;
            }
            String previous = null;
            for (AliasMove m : registry.history(EvaluateOptions.CHAMPION)) {
                if (champion.id().equals(m.toId())) {
                    previous = m.fromId();
                }
            }
            log.line("plan     the champion " + champion.id() + " was trained on these batches, whose lineage is not"
                    + " committed: an earlier run promoted it and stopped; finishing that promotion (champion before it: "
                    + previous + ")");
            return plan.withChampion(
                    previous == null ? null : registry.resolve(previous),
                    config.nightly().continueChampion());
        }

        private String policyDefaultHash() throws IOException {
            Path home = config.home().root().resolve("policy.yaml");
            return Files.isRegularFile(home) ? Sha256.ofFile(home) : "defaults";
        }

        /** Moves the alias (compare-and-set) and commits the lineage; or records the refusal. */
        private Map<String, Object> promote(
                NightlyPlan plan,
                DatasetSnapshot dataset,
                LoopStages.Trained tr,
                LoopStages.Evaluated ev,
                ModelRegistry registry,
                ReplayBuffer replay,
                Batches batches)
                throws IOException {
            NightlyConfig n = config.nightly();
            Map<String, Object> out = new LinkedHashMap<>();
            List<String> batchIds = plan.batchIds();
            if (!ev.promote()) {
                List<String> setAside = batches.refuse(batchIds, ev.evaluationId(), id, n.maxRefusals());
                String policy = setAside.isEmpty()
                        ? "its batch(es) " + batchIds + " stay pending, retried with the next new conversations"
                        : "batch(es) " + setAside + " set aside after " + n.maxRefusals()
                                + " refusals (nightly.maxRefusals)";
                out.put("decision", "refuse");
                out.put("batches", batchIds);
                out.put("setAside", setAside);
                out.put("batchPolicy", policy);
                log.line("promote  refused: " + policy);
                return out;
            }
            String alias =
                    n.promotion().equals(NightlyConfig.AB) ? EvaluateOptions.CHALLENGER : EvaluateOptions.CHAMPION;
            String reason = "nightly run " + id + ": evaluation " + ev.evaluationId() + ": " + ev.summary()
                    + (alias.equals(EvaluateOptions.CHALLENGER)
                            ? "; traffic split: challenger " + n.abShare() + ", champion " + (1 - n.abShare())
                            : "");
            String current = registry.alias(alias).map(ModelRef::id).orElse(null);
            if (!tr.adapterId().equals(current)) {
                String expected = alias.equals(EvaluateOptions.CHAMPION)
                        ? (plan.champion() == null ? null : plan.champion().id())
                        : current;
                AliasMove move = registry.moveAlias(alias, expected, tr.adapterId(), reason, "pipeline run nightly");
                log.line("promote  " + alias + ": " + move.fromId() + " -> " + move.toId());
            } else {
                log.line("promote  " + alias + " already points at " + tr.adapterId());
            }
            HaltPoints.reach(HALT_PROMOTE_MOVED);
            Lineage.Committed lineage = Lineage.commit(
                    config,
                    db,
                    tr.trainRunId(),
                    new Lineage.Pending(dataset.dir().toString(), batchIds, tr.trainedOn()),
                    id,
                    ev.evaluationId());
            out.put("decision", "promote");
            out.put("alias", alias);
            out.put("adapter", tr.adapterId());
            out.put("reason", reason);
            if (alias.equals(EvaluateOptions.CHALLENGER)) {
                out.put("trafficSplit", Map.of("challenger", n.abShare(), "champion", 1 - n.abShare()));
                out.put("experiment", AbStart.start(db, registry, tr.adapterId(), n.abShare(), id, log));
            }
            out.put("learned", batchIds);
            out.put("replayKept", lineage.replayKept());
            log.line("promote  lineage: " + lineage.conversations() + " conversations recorded as learned (batches "
                    + batchIds + ")"
                    + (lineage.alreadyCommitted()
                            ? " (already recorded)"
                            : ", replay buffer kept " + lineage.replayKept()));
            return out;
        }

        private TrainListener trainListener() {
            long[] lastCheck = {System.nanoTime()};
            return m -> {
                HaltPoints.reach("nightly-train-step-" + m.step());
                if (System.nanoTime() - lastCheck[0] > 2_000_000_000L) {
                    lastCheck[0] = System.nanoTime();
                    checkCancelled(LoopStage.TRAIN);
                    lock.lock().ensureHeld();
                }
            };
        }

        private void checkCancelled(LoopStage stage) {
            if (records.get(id).cancelRequested()) {
                throw new RunCancelledException(id, stage);
            }
        }

        private <T> T stage(
                LoopStage stage,
                String key,
                String inputHash,
                Callable<T> work,
                java.util.function.Function<T, Map<String, Long>> counts,
                java.util.function.Function<T, Map<String, Object>> output,
                java.util.function.Function<T, String> outputHash) {
            return stage(stage, key, inputHash, work, counts, output, outputHash, null);
        }

        /**
         * Runs (or reuses) one stage and records it. With a key and a type, an earlier succeeded stage
         * of that key is reused: its recorded output is read back as {@code type}.
         */
        @SuppressWarnings("unchecked")
        private <T> T stage(
                LoopStage stage,
                String key,
                String inputHash,
                Callable<T> work,
                java.util.function.Function<T, Map<String, Long>> counts,
                java.util.function.Function<T, Map<String, Object>> output,
                java.util.function.Function<T, String> outputHash,
                Class<?> type) {
            checkCancelled(stage);
            lock.lock().ensureHeld();
            Instant started = Instant.now();
            if (key != null && type != null) {
                var earlier = records.succeeded(stage, key);
                if (earlier.isPresent()) {
                    StageRecord e = earlier.get();
                    records.putStage(
                            id,
                            new StageRecord(
                                    stage,
                                    StageRecord.REUSED,
                                    started,
                                    Instant.now(),
                                    0,
                                    key,
                                    inputHash,
                                    e.outputHash(),
                                    e.counts(),
                                    e.output(),
                                    null));
                    log.line(stage.label() + "  reused an earlier identical stage (key " + key.substring(0, 12) + ")");
                    HaltPoints.reach(haltAfter(stage));
                    return (T) StageOutputs.read(e.output(), type);
                }
            }
            records.putStage(
                    id,
                    new StageRecord(
                            stage, StageRecord.RUNNING, started, null, 1, key, inputHash, null, null, null, null));
            log.line(stage.label() + "  started");
            StageRunner.Attempted<T> a;
            try {
                a = runner.run(stage, work, log::line, message -> {
                    records.putStage(
                            id,
                            new StageRecord(
                                    stage,
                                    StageRecord.FAILED,
                                    started,
                                    Instant.now(),
                                    1,
                                    key,
                                    inputHash,
                                    null,
                                    null,
                                    null,
                                    message));
                    records.finish(id, RunState.FAILED, null, stage, message);
                    log.line("run      " + id + " failed: " + message + "; the process ends");
                });
            } catch (StageFailedException | RunCancelledException e) {
                records.putStage(
                        id,
                        new StageRecord(
                                stage,
                                StageRecord.FAILED,
                                started,
                                Instant.now(),
                                1 + config.nightly().retries(),
                                key,
                                inputHash,
                                null,
                                null,
                                null,
                                describe(e)));
                throw e;
            }
            T value = a.value();
            records.putStage(
                    id,
                    new StageRecord(
                            stage,
                            StageRecord.SUCCEEDED,
                            started,
                            Instant.now(),
                            a.attempts(),
                            key,
                            inputHash,
                            outputHash.apply(value),
                            counts.apply(value),
                            output.apply(value),
                            null));
            HaltPoints.reach(haltAfter(stage));
            return value;
        }
    }

    /** Forwards each complete line written to the log file to the progress listener as well. */
    private static final class LineForwarder extends Writer {
        private final Writer file;
        private final Consumer<String> progress;
        private final StringBuilder line = new StringBuilder();

        LineForwarder(Writer file, Consumer<String> progress) {
            this.file = file;
            this.progress = progress;
        }

        @Override
        public void write(char[] cbuf, int off, int len) throws IOException {
            for (int i = off; i < off + len; i++) {
                char ch = cbuf[i];
                if (ch == '\n') {
                    String text = line.toString();
                    line.setLength(0);
                    file.write(Instant.now() + " " + text + "\n");
                    file.flush();
                    progress.accept(text);
                } else if (ch != '\r') {
                    line.append(ch);
                }
            }
        }

        @Override
        public void flush() throws IOException {
            file.flush();
        }

        @Override
        public void close() throws IOException {
            file.flush();
        }
    }
}
