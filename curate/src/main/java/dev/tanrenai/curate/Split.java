package dev.tanrenai.curate;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.provenance.Sha256;
import dev.tanrenai.datasets.snapshot.Splits;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Assigns each conversation to {@code train} or {@code heldout} by a hash of its id — so a
 * conversation never moves between splits from run to run — and drops, counted
 * ({@code curate/dropped.contaminated}), any conversation whose text contains an evaluation
 * suite's item, so no benchmark answer is trained on.
 */
public final class Split extends PTransform<PCollection<Curated>, PCollection<Curated>> {

    private final double heldoutShare;
    private final List<String> evaluationItems;

    /** @param evaluationItems texts of evaluation items (questions, reference answers) to keep out of training */
    public Split(double heldoutShare, List<String> evaluationItems) {
        if (!(heldoutShare >= 0 && heldoutShare < 1)) {
            throw new IllegalArgumentException("held-out share must be in [0, 1), got " + heldoutShare);
        }
        this.heldoutShare = heldoutShare;
        this.evaluationItems = evaluationItems.stream()
                .map(Split::normalized)
                .filter(s -> s.length() >= 16)
                .toList();
    }

    /** The split of a conversation id: fixed by its hash. */
    public static String splitOf(String id, double heldoutShare) {
        String hex = Sha256.ofBytes(("split:" + id).getBytes(StandardCharsets.UTF_8));
        double position = Long.parseUnsignedLong(hex.substring(0, 13), 16) / (double) (1L << 52);
        return position < heldoutShare ? Splits.HELDOUT : Splits.TRAIN;
    }

    static String normalized(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip();
    }

    CurateStep step() {
        return new SplitFn(heldoutShare, evaluationItems);
    }

    @Override
    public PCollection<Curated> expand(PCollection<Curated> input) {
        return input.apply("AssignSplit", ParDo.of(new SplitFn(heldoutShare, evaluationItems)));
    }

    static final class SplitFn extends DoFn<Curated, Curated> implements CurateStep {
        private static final long serialVersionUID = 1L;
        private final double heldoutShare;
        private final List<String> evaluationItems;

        SplitFn(double heldoutShare, List<String> evaluationItems) {
            this.heldoutShare = heldoutShare;
            this.evaluationItems = evaluationItems;
        }

        @ProcessElement
        public void process(@Element Curated element, OutputReceiver<Curated> out) {
            Conversation c = element.conversation();
            String text = normalized(MinHash.text(c));
            for (String item : evaluationItems) {
                if (text.contains(item)) {
                    Metrics.counter(CurateMetrics.NAMESPACE, "dropped.contaminated")
                            .inc();
                    return;
                }
            }
            String split = splitOf(c.id(), heldoutShare);
            Metrics.counter(CurateMetrics.NAMESPACE, "written." + split).inc();
            out.output(element.withSplit(split));
        }
    }
}
