package dev.tanrenai.pipelines.loop;

import dev.tanrenai.datasets.lock.RunLockHeldException;
import dev.tanrenai.datasets.snapshot.DatasetSnapshot;
import dev.tanrenai.pipelines.cli.CommonOptions;
import dev.tanrenai.pipelines.cli.Output;
import dev.tanrenai.pipelines.config.NightlyConfig;
import dev.tanrenai.pipelines.config.TanrenaiConfig;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pipeline run nightly}: the whole loop once. */
@Command(
        name = "nightly",
        mixinStandardHelpOptions = true,
        description = {
            "Run the loop once: extract -> curate -> train (continuing the champion's adapter, replay mixed in)",
            "-> evaluate (the gate) -> promote. Skipped (recorded with the reason) when there are fewer new",
            "conversations than nightly.minConversations. Every run is recorded: pipeline runs list|show.",
            "A rerun after a crash reuses every stage that finished. One run at a time per home.",
            "Exit codes: 0 promoted or skipped, 1 a stage failed, 2 bad usage, 3 the gate refused,",
            "4 another run holds the lock, 5 cancelled."
        })
public final class RunNightlyCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--trigger",
            paramLabel = "T",
            description = "What started this run: manual or schedule (default: ${DEFAULT-VALUE}).")
    String trigger = "manual";

    @Option(names = "--dry-run", description = "Say what would run and why; change nothing.")
    boolean dryRun;

    @Override
    public Integer call() throws IOException {
        TanrenaiConfig config = common.config();
        Output out = common.output();
        Trigger t = Trigger.fromLabel(trigger);
        if (t == Trigger.RESUME) {
            throw new IllegalArgumentException("--trigger: use pipeline runs resume ID to resume a run");
        }
        if (dryRun) {
            return dryRun(config, out);
        }
        return execute(config, out, spec.commandLine().getErr(), new NightlyRun.Request(t, null));
    }

    /** Runs the loop and prints its record; shared with {@code runs resume}. */
    static int execute(TanrenaiConfig config, Output out, java.io.PrintWriter err, NightlyRun.Request request)
            throws IOException {
        RunRecord r;
        try {
            r = new NightlyRun(config, line -> {
                        if (!out.json()) {
                            out.line(line);
                        }
                    })
                    .run(request);
        } catch (RunLockHeldException e) {
            err.println("run nightly: refused: " + e.getMessage());
            err.flush();
            if (out.json()) {
                Map<String, Object> j = new LinkedHashMap<>();
                j.put("state", "locked");
                j.put("error", e.getMessage());
                j.put("holder", e.holder().command());
                out.result(j);
            }
            return NightlyExitCodes.LOCKED;
        }
        if (out.json()) {
            out.result(RunsCommand.json(r));
        } else {
            out.line("report   " + r.reportFile());
        }
        return NightlyExitCodes.of(r.state());
    }

    private static int dryRun(TanrenaiConfig config, Output out) throws IOException {
        NightlyPlan plan = NightlyRun.dryRun(config);
        Incoming incoming = Incoming.of(config);
        NightlyConfig n = config.nightly();
        String skip = plan.skipReason(n);
        int needed = Math.max(1, n.minConversations());
        long possible = plan.newConversations() + incoming.notYetCurated();
        String decision;
        String why;
        if (skip == null) {
            decision = "train";
            why = plan.newConversations() + " new curated conversation(s) >= nightly.minConversations "
                    + n.minConversations()
                    + (incoming.notYetCurated() > 0
                            ? " (plus up to " + incoming.notYetCurated() + " not yet curated)"
                            : "");
        } else if (possible >= needed) {
            decision = "train-if-kept";
            why = "curated batches alone: " + skip + "; extract and curate would first bring in up to "
                    + incoming.notYetCurated() + " more (" + incoming.storeChanges()
                    + " changed in the store after the extract watermark, " + incoming.uncuratedConversations()
                    + " in extracted snapshots not yet curated): it trains if validation and dedupe keep at least "
                    + (needed - plan.newConversations());
        } else {
            decision = "skip";
            why = skip
                    + (incoming.notYetCurated() == 0
                            ? "; nothing changed in the store after the extract watermark " + incoming.watermark()
                            : "; even all " + incoming.notYetCurated() + " conversation(s) not yet curated would"
                                    + " not reach nightly.minConversations " + n.minConversations());
        }
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("dryRun", true);
        Map<String, Object> ex = new LinkedHashMap<>();
        ex.put("watermark", incoming.watermark());
        ex.put("lastSequence", incoming.lastSequence());
        ex.put("storeChanges", incoming.storeChanges());
        ex.put("uncuratedSnapshots", incoming.uncuratedSnapshots());
        ex.put("uncuratedConversations", incoming.uncuratedConversations());
        j.put("extract", ex);
        j.put("pendingBatches", plan.batchIds());
        j.put("newConversations", plan.newConversations());
        j.put("retriedConversations", plan.retriedConversations());
        j.put("setAside", plan.setAside());
        j.put("champion", plan.champion() == null ? null : plan.champion().id());
        j.put("base", plan.base().id());
        j.put(
                "continueFrom",
                plan.continueFrom() == null ? null : plan.continueFrom().id());
        j.put("promotion", n.promotion());
        j.put(
                "policy",
                plan.policy() == null
                        ? "default (<home>/policy.yaml if present)"
                        : plan.policy().toString());
        j.put("decision", decision);
        j.put("wouldTrain", !decision.equals("skip"));
        j.put("why", why);
        if (out.json()) {
            out.result(j);
            return NightlyExitCodes.OK;
        }
        out.line("dry run: nothing is changed");
        out.line("extract  would read " + incoming.storeChanges() + " conversation(s) changed in the store after the"
                + " extract watermark " + incoming.watermark() + " (store sequence up to " + incoming.lastSequence()
                + ")");
        out.line("curate   would curate them"
                + (incoming.uncuratedSnapshots().isEmpty()
                        ? ""
                        : " and " + incoming.uncuratedConversations() + " conversation(s) of extracted snapshot(s) "
                                + incoming.uncuratedSnapshots() + " not yet curated"));
        out.line("batches  pending "
                + plan.pending().stream().map(DatasetSnapshot::id).toList() + ": "
                + plan.newConversations() + " new conversation(s), " + plan.retriedConversations()
                + " from refused batches" + (plan.setAside().isEmpty() ? "" : "; set aside " + plan.setAside()));
        out.line("decision " + decision + ": " + why);
        if (!decision.equals("skip")) {
            out.line("train    " + n.steps() + " steps, rank " + n.rank() + ", lr " + n.learningRate() + " on base "
                    + plan.base().id()
                    + (plan.continueFrom() == null
                            ? " (fresh adapter)"
                            : " continuing the champion's adapter "
                                    + plan.continueFrom().id()));
            out.line("evaluate against "
                    + (plan.champion() == null
                            ? "the base model"
                            : "champion " + plan.champion().id()) + " with policy " + j.get("policy"));
            out.line("promote  mode " + n.promotion()
                    + (n.promotion().equals(NightlyConfig.AB)
                            ? " (challenger alias, traffic share " + n.abShare() + ")"
                            : " (champion alias, compare-and-set)"));
        }
        return NightlyExitCodes.OK;
    }
}
