package dev.tanrenai.curate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Runs a {@link CurateStep} on each element; an element the stage throws on (a pattern that
 * overflows the stack on a pathological message, a scoring model that fails) goes to
 * {@link Curate#DEAD_LETTER} as a JSON line naming the stage, the conversation and the error, and is
 * counted as {@code curate/dead_letter.<stage>}. The rest of the batch goes on.
 */
final class GuardedStep extends DoFn<Curated, Curated> {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String stage;
    private final CurateStep step;

    GuardedStep(String stage, CurateStep step) {
        this.stage = stage;
        this.step = step;
    }

    @ProcessElement
    public void process(@Element Curated element, MultiOutputReceiver out) {
        OutputReceiver<Curated> curated = out.get(Curate.CURATED);
        try {
            step.process(element, curated);
        } catch (RuntimeException | StackOverflowError e) {
            Metrics.counter(CurateMetrics.NAMESPACE, "dead_letter." + stage).inc();
            out.get(Curate.DEAD_LETTER).output(deadLetter(stage, element.id(), e));
        }
    }

    static String deadLetter(String stage, String id, Throwable e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("stage", stage);
        n.put("id", id);
        n.put("error", e.getClass().getName() + ": " + e.getMessage());
        return n.toString();
    }
}
