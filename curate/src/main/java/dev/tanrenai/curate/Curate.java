package dev.tanrenai.curate;

import dev.tanrenai.datasets.Conversation;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * The curate stages as one transform — what the job, the benchmark and the tests run: conversations
 * (typed, {@link dev.tanrenai.beam.ConversationCoder}) through {@link LatestVersions} (when several
 * inputs are curated together), {@link Normalize}, {@link RedactSecrets}, {@link Dedupe},
 * {@link Score} and {@link Split}, as {@link Curated} elements ({@link CuratedCoder}). Output
 * {@link #CURATED}: the curated conversations; {@link #DEAD_LETTER}: one JSON line per conversation a
 * stage failed on (stage, id, error), counted as {@code curate/dead_letter.<stage>}.
 */
public final class Curate extends PTransform<PCollection<Conversation>, PCollectionTuple> {

    public static final TupleTag<Curated> CURATED = new TupleTag<>() {};
    public static final TupleTag<String> DEAD_LETTER = new TupleTag<>() {};

    /** How far to go: the benchmark adds the stages one at a time. */
    public enum Through {
        READ,
        NORMALIZE,
        REDACT,
        DEDUPE,
        SCORE_SPLIT
    }

    private final CurateJob.Settings settings;
    private final boolean latestVersions;
    private final Through through;

    private Curate(CurateJob.Settings settings, boolean latestVersions, Through through) {
        this.settings = java.util.Objects.requireNonNull(settings, "settings");
        this.latestVersions = latestVersions;
        this.through = through;
    }

    public static Curate with(CurateJob.Settings settings) {
        return new Curate(settings, false, Through.SCORE_SPLIT);
    }

    /** Keeps one version per id first (several input snapshots). */
    public Curate withLatestVersions(boolean on) {
        return new Curate(settings, on, through);
    }

    /** Stops after {@code last}. */
    public Curate through(Through last) {
        return new Curate(settings, latestVersions, last);
    }

    @Override
    public PCollectionTuple expand(PCollection<Conversation> input) {
        PCollection<Conversation> in = latestVersions ? input.apply("LatestVersions", new LatestVersions()) : input;
        PCollection<Curated> c = in.apply(
                        "Admit",
                        MapElements.into(TypeDescriptor.of(Curated.class)).via(Curated::of))
                .setCoder(CuratedCoder.of());
        List<PCollection<String>> dead = new ArrayList<>();
        if (through.compareTo(Through.NORMALIZE) >= 0) {
            c = guarded(c, "Normalize", "normalize", new Normalize().step(), dead);
        }
        if (through.compareTo(Through.REDACT) >= 0) {
            c = guarded(c, "RedactSecrets", "redact", new RedactSecrets().step(), dead);
        }
        if (through.compareTo(Through.DEDUPE) >= 0) {
            PCollectionTuple deduped = c.apply(
                    "Dedupe",
                    new Dedupe(
                            settings.dedupeThreshold(),
                            settings.historyIndex(),
                            settings.dedupeShards(),
                            settings.scorer()));
            dead.add(deduped.get(DEAD_LETTER));
            c = deduped.get(CURATED);
        }
        if (through.compareTo(Through.SCORE_SPLIT) >= 0) {
            c = guarded(c, "Score", "score", new Score(settings.scoreThreshold(), settings.scorer()).step(), dead);
            c = guarded(
                    c, "Split", "split", new Split(settings.heldoutShare(), settings.evaluationItems()).step(), dead);
        }
        PCollection<String> deadLetters = dead.isEmpty()
                ? input.getPipeline().apply("NoDeadLetters", Create.empty(StringUtf8Coder.of()))
                : PCollectionList.of(dead).apply("DeadLetters", Flatten.pCollections());
        return PCollectionTuple.of(CURATED, c).and(DEAD_LETTER, deadLetters);
    }

    private static PCollection<Curated> guarded(
            PCollection<Curated> in, String name, String stage, CurateStep step, List<PCollection<String>> dead) {
        PCollectionTuple out = in.apply(
                name, ParDo.of(new GuardedStep(stage, step)).withOutputTags(CURATED, TupleTagList.of(DEAD_LETTER)));
        dead.add(out.get(DEAD_LETTER).setCoder(StringUtf8Coder.of()));
        return out.get(CURATED).setCoder(CuratedCoder.of());
    }
}
