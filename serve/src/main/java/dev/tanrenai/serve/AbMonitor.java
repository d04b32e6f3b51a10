package dev.tanrenai.serve;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tanrenai.experiment.ArmSummary;
import dev.tanrenai.experiment.Experiment;
import dev.tanrenai.experiment.ExperimentArm;
import dev.tanrenai.experiment.Experiments;
import dev.tanrenai.experiment.StatusJson;
import dev.tanrenai.experiment.Verdict;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The serving side of an A/B experiment (issue 15): every few seconds it reads the running experiment
 * from the store, gives its challenger the experiment's share of users once that challenger is loaded,
 * evaluates and decides ({@link Experiments#decide}); a deciding verdict is an event, sends all traffic
 * to the champion and re-reads the aliases (a promotion loads the new champion, the cleared challenger
 * is unloaded). Failed generations are counted for the experiment; {@code GET /admin/ab} and the
 * {@code tanrenai_ab_*} gauges show where it stands.
 */
public final class AbMonitor implements AutoCloseable {
    public static final String ACTOR = "pipeline serve";

    private final Experiments experiments;
    private final ServeState state;
    private final AliasWatcher watcher;
    private volatile String sharedFor;
    private volatile int eventsAtShare;
    private volatile String runningId;
    private volatile Verdict last;
    private volatile Instant lastEvaluation = Instant.EPOCH;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ab-monitor");
        t.setDaemon(true);
        return t;
    });

    AbMonitor(Experiments experiments, ServeState state, AliasWatcher watcher) {
        this.experiments = experiments;
        this.state = state;
        this.watcher = watcher;
        state.onFailure(this::failure);
    }

    /** Evaluates every {@code seconds}. */
    void watch(long seconds) {
        timer.scheduleWithFixedDelay(this::tickQuietly, seconds, seconds, TimeUnit.SECONDS);
    }

    /**
     * The periodic check: the running experiment's share is applied at once, the evaluation only every
     * {@code evaluateEvery} of the experiment's config (each is recorded: the report's time series).
     */
    synchronized void tickIfDue() {
        Optional<Experiment> running = experiments.store().running();
        if (running.isPresent()
                && running.get().id().equals(sharedFor)
                && Instant.now()
                        .isBefore(lastEvaluation.plus(running.get().config().evaluateEvery()))) {
            return;
        }
        tick();
    }

    /** One evaluation of the running experiment, if any; returns what it did. */
    public synchronized Optional<Experiments.Applied> tick() {
        Optional<Experiment> running = experiments.store().running();
        runningId = running.map(Experiment::id).orElse(null);
        if (running.isEmpty()) {
            last = null;
            return Optional.empty();
        }
        Experiment e = running.get();
        if (!e.id().equals(sharedFor)) {
            watcher.sync(); // the challenger alias may have just moved
            ModelSlot challenger = state.slots().get(Arm.CHALLENGER);
            if (challenger != null && challenger.modelId().equals(e.challengerId())) {
                state.setChallengerShare(e.share(), "A/B experiment " + e.id() + " started");
                eventsAtShare = state.events().size();
                state.event(
                        "ab",
                        "experiment " + e.id() + ": " + e.challengerId() + " against champion " + e.championId()
                                + " for " + Math.round(e.share() * 100) + "% of users");
                sharedFor = e.id();
            }
        }
        if (e.id().equals(sharedFor)) {
            String guard = guardRollback();
            if (guard != null) {
                // the serving guard (ChallengerGuard) already took the challenger's traffic away: the experiment ends
                experiments.rollBack(e, "the serving guard rolled the challenger back: " + guard, Instant.now());
                state.event(
                        "ab",
                        "experiment " + e.id() + " rollback: the serving guard rolled the challenger back: " + guard
                                + "; challenger alias cleared");
                runningId = null;
                last = null;
                watcher.sync();
                return Optional.empty();
            }
        }
        lastEvaluation = Instant.now();
        Optional<Experiments.Applied> applied = experiments.decide(lastEvaluation, ACTOR);
        if (applied.isEmpty()) {
            return applied;
        }
        Experiments.Applied a = applied.get();
        last = a.verdict();
        if (a.verdict() == null || a.verdict().decision().ends()) {
            state.setChallengerShare(0, "A/B experiment " + e.id() + " ended");
            state.event(
                    "ab",
                    "experiment " + e.id() + " "
                            + (a.verdict() == null
                                    ? "superseded"
                                    : a.verdict().decision().wireName()) + ": "
                            + (a.verdict() == null ? "" : a.verdict().reason() + "; ") + a.action());
            runningId = null;
            watcher.sync();
        }
        return applied;
    }

    /** The reason of a guard rollback since the experiment's share was applied; null when none. */
    private String guardRollback() {
        var events = state.events();
        for (int i = eventsAtShare; i < events.size(); i++) {
            if (events.get(i).kind().equals("rollback")) {
                return events.get(i).reason();
            }
        }
        return null;
    }

    private void tickQuietly() {
        try {
            tickIfDue();
        } catch (RuntimeException e) {
            // a background evaluation has no caller to throw to: the failure is an event, the next tick retries
            state.event("ab-error", "evaluating the A/B experiment failed: " + e.getMessage());
        }
    }

    private void failure(Arm arm) {
        String id = runningId;
        if (id != null) {
            experiments.store().recordError(id, ExperimentArm.valueOf(arm.name()), "(failed requests)", Instant.now());
        }
    }

    /** {@code GET /admin/ab}. */
    ObjectNode status() {
        return StatusJson.status(experiments, Instant.now());
    }

    /** The {@code tanrenai_ab_*} gauges of the last evaluation. */
    String metrics() {
        Verdict v = last;
        StringBuilder out = new StringBuilder();
        gauge(out, "tanrenai_ab_running", "Whether an A/B experiment is running.", null, v == null ? 0 : 1);
        if (v == null) {
            return out.toString();
        }
        for (ExperimentArm arm : ExperimentArm.values()) {
            ArmSummary s = arm == ExperimentArm.CHAMPION ? v.champion() : v.challenger();
            String l = "arm=\"" + arm.wireName() + "\"";
            gauge(out, "tanrenai_ab_users", "Users per arm in the running experiment.", l, s.users());
            gauge(out, "tanrenai_ab_rated_users", "Users who rated, per arm.", l, s.ratedUsers());
            gauge(
                    out,
                    "tanrenai_ab_rating_rate",
                    "Mean per-user rating rate per arm.",
                    l,
                    s.primary().mean());
            gauge(out, "tanrenai_ab_error_rate", "Failed generations per attempt, per arm.", l, s.errorRate());
            gauge(out, "tanrenai_ab_latency_p95_seconds", "p95 answer latency per arm.", l, s.p95LatencyMs() / 1000.0);
        }
        if (v.test() != null) {
            gauge(
                    out,
                    "tanrenai_ab_effect",
                    "Challenger minus champion rating rate.",
                    null,
                    v.test().effect());
            gauge(
                    out,
                    "tanrenai_ab_effect_lower",
                    "Lower end of the always-valid interval.",
                    null,
                    v.test().lower());
            gauge(
                    out,
                    "tanrenai_ab_effect_upper",
                    "Upper end of the always-valid interval.",
                    null,
                    v.test().upper());
            gauge(
                    out,
                    "tanrenai_ab_log_likelihood_ratio",
                    "The mixture SPRT's log likelihood ratio.",
                    null,
                    v.test().logLambda());
            gauge(
                    out,
                    "tanrenai_ab_boundary",
                    "log(1/alpha): the ratio decides at this value.",
                    null,
                    v.test().logThreshold());
        }
        return out.toString();
    }

    private static void gauge(StringBuilder out, String name, String help, String labels, double value) {
        if (out.indexOf("# TYPE " + name + " ") < 0) {
            out.append("# HELP ").append(name).append(' ').append(help).append('\n');
            out.append("# TYPE ").append(name).append(" gauge\n");
        }
        out.append(name);
        if (labels != null) {
            out.append('{').append(labels).append('}');
        }
        out.append(' ')
                .append(Double.isFinite(value) ? String.format(Locale.ROOT, "%.6g", value) : "NaN")
                .append('\n');
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
