package dev.tanrenai.evaluate.probes;

import dev.tanrenai.evaluate.result.ItemScore;
import dev.tanrenai.evaluate.result.Metric;
import dev.tanrenai.evaluate.score.ModelUnderTest;
import dev.tanrenai.evaluate.score.ScoringSession;
import dev.tanrenai.evaluate.suite.Suite;
import dev.tanrenai.evaluate.suite.SuiteInfo;
import dev.tanrenai.evaluate.suite.SuiteKind;
import dev.tanrenai.evaluate.suite.SuiteRun;
import dev.tanrenai.models.runtime.Completion;
import dev.tanrenai.models.runtime.FinishReason;
import dev.tanrenai.models.runtime.GenerationException;
import dev.tanrenai.models.runtime.GenerationRequest;
import dev.tanrenai.models.runtime.LlamaRuntime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The team's regression prompts, run by generation on llama.cpp exactly as users are served: each
 * probe's messages are rendered with the model's own chat template and an open assistant turn
 * ({@link LlamaRuntime#applyChatTemplate(List, boolean)}, what serve/ does for a request without tools),
 * then generated greedily ({@link GenerationRequest#greedy}: temperature 0, seed 42, no stop strings,
 * at most the probe's {@code max_tokens}) on the model's runtime with its adapter loaded. The output is
 * matched by {@link ProbeMatcher}.
 *
 * <p>One item per probe (cluster = the probe id): {@code pass} is 1 when the output matches, else 0;
 * {@code must_pass} is 1 for a must-pass probe, else 0; the text is the probe's last user turn. The
 * outputs are kept in {@link SuiteRun#notes()} under {@code outputs} (probe id → generated text).
 * {@link #PASS_RATE} = Σ pass / number of probes.
 */
public final class ProbeSuite implements Suite {

    /** Bumped when the way probes are rendered, generated or matched changes. */
    static final int VERSION = 1;

    /** Per-item 0/1: the output matched the expectation. */
    public static final String PASS = "pass";

    /** Per-item 0/1: the probe is must-pass. */
    public static final String MUST_PASS = "must_pass";

    /** The notes key of the outputs (probe id → generated text). */
    public static final String OUTPUTS = "outputs";

    public static final Metric PASS_RATE = Metric.accuracy(
            PASS,
            "share of probes whose greedy output (chat template, temperature 0, max_tokens) matches the"
                    + " expected answer (exact after trimming, contains, or regex found)");

    private final SuiteInfo info;
    private final ProbeFile file;

    private ProbeSuite(SuiteInfo info, ProbeFile file) {
        this.info = info;
        this.file = file;
    }

    /** The suite {@code probes} of {@code file}. */
    public static ProbeSuite of(ProbeFile file) {
        return named(null, file);
    }

    /** The suite {@code probes/<name>} of {@code file} (or {@code probes} when {@code name} is null). */
    public static ProbeSuite named(String name, ProbeFile file) {
        Objects.requireNonNull(file, "file");
        String id = name == null ? SuiteKind.PROBES.id() : SuiteKind.PROBES.id() + "/" + name;
        long mustPass = file.probes().stream().filter(Probe::mustPass).count();
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("file", file.source());
        source.put("sha256", file.sha256());
        source.put("probes", file.probes().size());
        source.put("mustPass", mustPass);
        SuiteInfo info = new SuiteInfo(
                id,
                SuiteKind.PROBES,
                VERSION,
                file.sha256(),
                file.probes().size() + " regression prompts (" + mustPass + " must pass) from " + file.source()
                        + ", greedy generation on llama.cpp",
                source);
        return new ProbeSuite(info, file);
    }

    public ProbeFile file() {
        return file;
    }

    @Override
    public SuiteInfo info() {
        return info;
    }

    @Override
    public List<Metric> metrics() {
        return List.of(PASS_RATE);
    }

    /** Generates every probe on {@code model}'s llama.cpp runtime; {@code reference} is not used. */
    @Override
    public SuiteRun score(ScoringSession session, ModelUnderTest model, SuiteRun reference) {
        LlamaRuntime runtime = session.runtime(model);
        List<ItemScore> items = new ArrayList<>();
        Map<String, String> outputs = new LinkedHashMap<>();
        int passed = 0;
        for (Probe probe : file.probes()) {
            String output = generate(runtime, probe, model);
            boolean pass = ProbeMatcher.matches(probe.expect(), output);
            passed += pass ? 1 : 0;
            outputs.put(probe.id(), output);
            items.add(new ItemScore(
                    probe.id(),
                    probe.id(),
                    Map.of(PASS, pass ? 1.0 : 0.0, MUST_PASS, probe.mustPass() ? 1.0 : 0.0),
                    probe.prompt()));
        }
        Map<String, Object> notes = new LinkedHashMap<>();
        notes.put("file", file.source());
        notes.put("probes", file.probes().size());
        notes.put("passed", passed);
        notes.put(OUTPUTS, outputs);
        return new SuiteRun(info, model.cacheKey(), null, items, List.of(), null, null, notes, 0);
    }

    /** The greedy output for {@code probe}, rendered and generated as serve/ does. */
    static String generate(LlamaRuntime runtime, Probe probe, ModelUnderTest model) {
        String prompt = runtime.applyChatTemplate(probe.messages(), true);
        Completion c;
        try {
            c = runtime.complete(GenerationRequest.greedy(prompt, probe.maxTokens()));
        } catch (GenerationException e) {
            throw new ProbeRunException(probe.id(), model.id(), "llama.cpp failed: " + e.getMessage(), e);
        }
        if (c.finishReason() == FinishReason.TIMEOUT || c.finishReason() == FinishReason.CANCELLED) {
            throw new ProbeRunException(
                    probe.id(),
                    model.id(),
                    "the generation ended by " + c.finishReason() + " after " + c.tokenCount()
                            + " tokens, not by the model: its output would be judged on a cut-off text");
        }
        return c.text();
    }

    /**
     * A must-pass probe that failed, for the gate and the report.
     *
     * @param id the probe id
     * @param prompt its last user turn
     * @param output what the model generated
     */
    public record FailedProbe(String id, String prompt, String output) {
        public FailedProbe {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(prompt, "prompt");
            Objects.requireNonNull(output, "output");
        }
    }

    /**
     * The must-pass probes of {@code run} that failed (item values {@code must_pass} = 1 and
     * {@code pass} = 0), in item order, each with its output from the notes.
     *
     * @throws IllegalArgumentException when {@code run} is not a probe run or lacks an output
     */
    public static List<FailedProbe> failedMustPass(SuiteRun run) {
        if (run.suite().kind() != SuiteKind.PROBES) {
            throw new IllegalArgumentException(
                    "suite " + run.suite().id() + " is a " + run.suite().kind().id() + " suite, not a probe suite");
        }
        Object raw = run.notes().get(OUTPUTS);
        if (!(raw instanceof Map<?, ?> outputs)) {
            throw new IllegalArgumentException(
                    "suite " + run.suite().id() + " run of " + run.modelKey() + " has no '" + OUTPUTS + "' notes");
        }
        List<FailedProbe> failed = new ArrayList<>();
        for (ItemScore item : run.items()) {
            if (item.value(MUST_PASS) == 1.0 && item.value(PASS) == 0.0) {
                Object output = outputs.get(item.itemId());
                if (!(output instanceof String text)) {
                    throw new IllegalArgumentException("suite " + run.suite().id() + " run of " + run.modelKey()
                            + ": no output recorded for probe " + item.itemId());
                }
                failed.add(new FailedProbe(item.itemId(), item.text(), text));
            }
        }
        return failed;
    }
}
