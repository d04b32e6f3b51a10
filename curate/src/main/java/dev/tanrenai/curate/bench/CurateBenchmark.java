package dev.tanrenai.curate.bench;

import dev.tanrenai.curate.Dedupe;
import dev.tanrenai.curate.Normalize;
import dev.tanrenai.curate.RedactSecrets;
import dev.tanrenai.curate.Score;
import dev.tanrenai.curate.Split;
import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.format.Envelope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;

/**
 * Curate throughput on synthetic conversations: the pipeline is run with its stages added one at a
 * time, so each stage's cost is the difference to the run before it; conversations/s per stage and
 * in total, for each N.
 */
public final class CurateBenchmark {

    /** One measured pipeline: stages 1..{@code stages} over {@code n} conversations. */
    public record Run(int n, String lastStage, double seconds, double conversationsPerSecond) {}

    static final String[] STAGES = {"read", "normalize", "redact", "dedupe", "score+split"};
    private static final String[] WORDS = ("temper steel blade oil quench chisel plane stone water edge honing grit "
                    + "bevel angle heat straw brittle tough grain carbon file saw tooth kerf joint glue clamp board")
            .split(" ");

    private CurateBenchmark() {}

    public static List<Run> run(int[] sizes, List<String> beamArgs) {
        List<Run> runs = new ArrayList<>();
        for (int n : sizes) {
            List<String> data = synthetic(n, 7);
            for (int stages = 0; stages < STAGES.length; stages++) {
                long t = System.nanoTime();
                PipelineOptions options = PipelineOptionsFactory.fromArgs(
                                dev.tanrenai.datasets.pipeline.BeamDefaults.args(beamArgs))
                        .create();
                Pipeline p = Pipeline.create(options);
                PCollection<String> c = p.apply("Synthetic", Create.of(data).withCoder(StringUtf8Coder.of()));
                if (stages >= 1) {
                    c = c.apply("Normalize", new Normalize());
                }
                if (stages >= 2) {
                    c = c.apply("RedactSecrets", new RedactSecrets());
                }
                if (stages >= 3) {
                    c = c.apply("Dedupe", new Dedupe(0.8));
                }
                if (stages >= 4) {
                    c = c.apply("Score", new Score(0.3)).apply("Split", new Split(0.1, List.of()));
                }
                c.apply("Count", Count.globally());
                p.run().waitUntilFinish();
                double seconds = (System.nanoTime() - t) / 1e9;
                runs.add(new Run(n, STAGES[stages], seconds, n / seconds));
            }
        }
        return runs;
    }

    /** {@code n} conversations of 2-4 turns, about 5% exact and 5% near duplicates, some secrets. */
    public static List<String> synthetic(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> out = new ArrayList<>(n);
        Instant t = Instant.parse("2026-11-23T00:00:00Z");
        List<Conversation> made = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Conversation c;
            int kind = random.nextInt(100);
            if (kind < 5 && !made.isEmpty()) {
                Conversation o = made.get(random.nextInt(made.size()));
                c = new Conversation("c-" + i, "bench", t, t, o.messages(), Map.of());
            } else {
                List<Message> messages = new ArrayList<>();
                int turns = 1 + random.nextInt(2);
                for (int k = 0; k < turns; k++) {
                    messages.add(Message.user(sentence(random, 8 + random.nextInt(12))
                            + (random.nextInt(50) == 0 ? " my mail is user" + i + "@example.org" : "") + "?"));
                    messages.add(Message.assistant(sentence(random, 20 + random.nextInt(60)) + "."));
                }
                c = new Conversation("c-" + i, "bench", t, t, messages, Map.of());
            }
            made.add(c);
            out.add(Envelope.of(c, "bench:" + i));
        }
        return out;
    }

    /** Words mostly from a workshop vocabulary, one in three made up: unrelated texts stay dissimilar. */
    private static String sentence(SplittableRandom random, int words) {
        StringBuilder sb = new StringBuilder();
        for (int w = 0; w < words; w++) {
            if (w > 0) {
                sb.append(' ');
            }
            if (random.nextInt(3) == 0) {
                int len = 3 + random.nextInt(6);
                for (int k = 0; k < len; k++) {
                    sb.append((char) ('a' + random.nextInt(26)));
                }
            } else {
                sb.append(WORDS[random.nextInt(WORDS.length)]);
            }
        }
        return sb.toString();
    }
}
