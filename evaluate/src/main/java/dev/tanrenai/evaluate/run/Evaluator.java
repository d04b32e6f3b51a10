package dev.tanrenai.evaluate.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tanrenai.evaluate.cache.ResultCache;
import dev.tanrenai.evaluate.gate.Decision;
import dev.tanrenai.evaluate.gate.Gate;
import dev.tanrenai.evaluate.gate.SuiteOutcome;
import dev.tanrenai.evaluate.report.ReportFiles;
import dev.tanrenai.evaluate.score.ModelUnderTest;
import dev.tanrenai.evaluate.score.ScoringSession;
import dev.tanrenai.evaluate.stats.BootstrapSettings;
import dev.tanrenai.evaluate.store.EvaluationStore;
import dev.tanrenai.evaluate.store.StoredEvaluation;
import dev.tanrenai.evaluate.suite.Suite;
import dev.tanrenai.evaluate.suite.SuiteRun;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs an evaluation: every suite on the baseline (from the cache when it was scored before) and on
 * the candidate (against the baseline's reference where the suite keeps one), candidate vs baseline
 * per metric, the gate's decision, the report files, and the record in the store.
 *
 * <p>Nothing is recorded or written as a decision until every suite scored: an error in any suite
 * propagates and leaves no evaluation behind (per-model cache entries already written stay valid).
 */
public final class Evaluator {

    /** What an evaluation reports as it goes. */
    public interface Listener {
        void onSuite(String suiteId, String model, String what);

        static Listener none() {
            return (s, m, w) -> {};
        }
    }

    private static final DateTimeFormatter ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmssSSS").withZone(ZoneOffset.UTC);

    private final EvaluationStore store;
    private final Listener listener;

    /** @param store where the evaluation is recorded, or null to record nothing (benchmarks, dry runs) */
    public Evaluator(EvaluationStore store, Listener listener) {
        this.store = store;
        this.listener = listener;
    }

    public EvaluationResult evaluate(EvaluationPlan plan) throws IOException {
        Instant started = Instant.now();
        String id = "ev-" + ID_TIME.format(started) + "-"
                + plan.candidate().adapterSha256().substring(0, 8);
        ResultCache cache = new ResultCache(plan.evaluationsDir().resolve("cache"));
        BootstrapSettings bootstrap = new BootstrapSettings(
                plan.policy().resamples(), plan.policy().seed(), plan.policy().confidence());
        List<SuiteOutcome> outcomes = new ArrayList<>();
        List<Map<String, Object>> suiteNodes = new ArrayList<>();
        long scoredTokens = 0;
        int hits = 0;
        Map<String, Object> timings = new LinkedHashMap<>();
        try (ScoringSession session = ScoringSession.open(plan.candidate(), plan.runtime(), plan.scoring())) {
            for (Suite suite : plan.suites()) {
                long t0 = System.nanoTime();
                Map<String, Object> cacheNotes = new LinkedHashMap<>();
                Scored base = run(cache, session, suite, plan.baseline(), null, cacheNotes, "baseline");
                Scored cand = run(
                        cache,
                        session,
                        suite,
                        plan.candidate(),
                        suite.keepsReference() ? base.run() : null,
                        cacheNotes,
                        "candidate");
                scoredTokens += base.scoredTokens() + cand.scoredTokens();
                hits += (base.hit() ? 1 : 0) + (cand.hit() ? 1 : 0);
                listener.onSuite(suite.info().id(), "both", "comparing");
                SuiteComparer.Compared compared =
                        SuiteComparer.compare(suite, base.run(), cand.run(), bootstrap, cacheNotes);
                outcomes.add(compared.outcome());
                suiteNodes.add(compared.report());
                timings.put(suite.info().id(), (System.nanoTime() - t0) / 1e9);
            }
        }
        Decision decision = new Gate(plan.policy()).decide(outcomes, plan.absent(), plan.forceReason());
        Path dir = plan.evaluationsDir().resolve(id);
        ObjectNode report = ReportJson.build(id, started, plan, decision, suiteNodes, timings, scoredTokens, hits);
        ReportFiles.write(dir, report);
        if (store != null) {
            store.record(new StoredEvaluation(
                    id,
                    started.toString(),
                    plan.candidateAdapterId(),
                    plan.candidate().cacheKey(),
                    plan.candidateLabel(),
                    plan.baselineAdapterId(),
                    plan.baseline().cacheKey(),
                    plan.baselineLabel(),
                    decision.verdict(),
                    decision.forced(),
                    decision.forceReason(),
                    decision.summary(),
                    plan.policy().sha256(),
                    report.path("provenance").path("codeVersion").asText(),
                    dir.toString(),
                    report.toString(),
                    decision.checks().stream()
                            .map(c -> new StoredEvaluation.CheckRow(c.name(), c.suite(), c.passed(), c.reason()))
                            .toList()));
        }
        return new EvaluationResult(id, decision, outcomes, report, dir, scoredTokens, hits);
    }

    private record Scored(SuiteRun run, boolean hit, long scoredTokens) {}

    private Scored run(
            ResultCache cache,
            ScoringSession session,
            Suite suite,
            ModelUnderTest model,
            SuiteRun reference,
            Map<String, Object> cacheNotes,
            String role)
            throws IOException {
        String refKey = reference == null ? null : reference.modelKey();
        ResultCache.Lookup lookup = cache.lookup(suite.info(), session.settings(), model.cacheKey(), refKey);
        if (lookup instanceof ResultCache.Lookup.Hit hit) {
            cacheNotes.put(role, "cached: " + lookup.dir());
            listener.onSuite(suite.info().id(), role, "cached");
            return new Scored(hit.run(), true, 0);
        }
        if (lookup instanceof ResultCache.Lookup.Corrupt corrupt) {
            cacheNotes.put(role + "CorruptEntry", corrupt.dir() + ": " + corrupt.reason() + " (scored again)");
        }
        listener.onSuite(suite.info().id(), role, "scoring");
        SuiteRun run = suite.score(session, model, reference);
        cache.store(run, session.settings());
        cacheNotes.put(role, "scored");
        return new Scored(run, false, run.scoredTokens());
    }
}
