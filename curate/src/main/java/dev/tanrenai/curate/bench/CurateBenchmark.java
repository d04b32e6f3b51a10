package dev.tanrenai.curate.bench;

import dev.tanrenai.beam.ReadSnapshot;
import dev.tanrenai.beam.SnapshotSink;
import dev.tanrenai.beam.WriteSnapshot;
import dev.tanrenai.curate.Curate;
import dev.tanrenai.curate.CurateJob;
import dev.tanrenai.curate.Curated;
import dev.tanrenai.curate.MinHash;
import dev.tanrenai.curate.Normalize;
import dev.tanrenai.curate.QualityScorer;
import dev.tanrenai.curate.RedactSecrets;
import dev.tanrenai.curate.Redactor;
import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.snapshot.DatasetSnapshot;
import dev.tanrenai.datasets.snapshot.SnapshotParts;
import dev.tanrenai.datasets.snapshot.SnapshotProvenance;
import dev.tanrenai.datasets.snapshot.SnapshotWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.values.PCollection;

/**
 * Curate throughput on synthetic conversations, written to a snapshot first (not timed) and read
 * by batch as the curate job reads: the pipeline is run with its stages added one at a time, so each
 * stage's cost is the difference to the run before it; conversations/s per stage and in total, for
 * each N; then the peer, the same functions in a plain loop on one thread ({@link #plainJava}). Two
 * untimed runs on 5,000 conversations warm the JVM up first.
 */
public final class CurateBenchmark {

    /** One measured pipeline: stages 1..{@code stages} over {@code n} conversations. */
    public record Run(int n, String lastStage, double seconds, double conversationsPerSecond, long maxRssMb) {
        public Run(int n, String lastStage, double seconds, double conversationsPerSecond) {
            this(n, lastStage, seconds, conversationsPerSecond, peakRssMb());
        }
    }

    /** The stages added one at a time; the last is the whole job: curate and the snapshot sink. */
    static final String[] STAGES = {"read", "normalize", "redact", "dedupe", "score+split", "write"};

    private static final String[] WORDS = ("temper steel blade oil quench chisel plane stone water edge honing grit "
                    + "bevel angle heat straw brittle tough grain carbon file saw tooth kerf joint glue clamp board")
            .split(" ");

    private CurateBenchmark() {}

    /** Each stage added one at a time. */
    public static List<Run> run(int[] sizes, List<String> beamArgs) throws IOException {
        return run(sizes, beamArgs, false);
    }

    /**
     * @param totalOnly run only the whole job (all stages and the sink) for each N, not the
     *     one-stage-at-a-time series
     */
    public static List<Run> run(int[] sizes, List<String> beamArgs, boolean totalOnly) throws IOException {
        List<Run> runs = new ArrayList<>();
        Path work = Files.createTempDirectory("tanrenai-bench-curate");
        try {
            // warm-up, not reported: the first pipeline in a JVM pays for class loading and JIT
            warmUp(work, beamArgs);
            for (int n : sizes) {
                List<Conversation> data = synthetic(n, 7);
                DatasetSnapshot snapshot = new SnapshotWriter()
                        .write(
                                work,
                                "bench-" + n,
                                data.iterator(),
                                SnapshotProvenance.of(List.of(), Map.of(), null),
                                Map.of());
                data = totalOnly ? null : data; // the peer needs them; the 1M total-only run frees them
                for (int stages = totalOnly ? STAGES.length - 1 : 0; stages < STAGES.length; stages++) {
                    long t = System.nanoTime();
                    pipeline(work, snapshot, stages, beamArgs).run().waitUntilFinish();
                    if (stages == STAGES.length - 1) {
                        publish(work, n);
                    }
                    double seconds = (System.nanoTime() - t) / 1e9;
                    runs.add(new Run(n, STAGES[stages], seconds, n / seconds));
                }
                runs.add(plainJava(data != null ? data : synthetic(n, 7)));
            }
        } finally {
            dev.tanrenai.datasets.home.Directories.clear(work);
            Files.deleteIfExists(work);
        }
        return runs;
    }

    /** The curate pipeline over {@code snapshot} with stages 1..{@code stages} and a count. */
    private static Pipeline pipeline(Path work, DatasetSnapshot snapshot, int stages, List<String> beamArgs)
            throws IOException {
        PipelineOptions options = PipelineOptionsFactory.fromArgs(
                        dev.tanrenai.datasets.pipeline.BeamDefaults.args(beamArgs))
                .create();
        Pipeline p = Pipeline.create(options);
        boolean write = stages == STAGES.length - 1;
        PCollection<Curated> curated = p.apply("ReadSnapshot", ReadSnapshot.of(snapshot))
                .apply(
                        "Curate",
                        Curate.with(CurateJob.Settings.defaults())
                                .through(Curate.Through.values()[Math.min(stages, Curate.Through.values().length - 1)]))
                .get(Curate.CURATED);
        if (write) {
            Path staging = SnapshotParts.staging(work, "curated-" + snapshot.rowCount());
            Files.writeString(work.resolve("staging-" + snapshot.rowCount()), staging.toString());
            curated.apply("WriteSnapshot", WriteSnapshot.to(staging, CurateJob.COLUMNS, (Curated c) -> c.row()));
        } else {
            curated.apply("Count", Count.globally());
        }
        return p;
    }

    /** The driver's part of the sink, timed with the run: publish the manifest from the parts' meta. */
    private static void publish(Path work, int n) throws IOException {
        Path staging = Path.of(Files.readString(work.resolve("staging-" + n)));
        SnapshotSink.Staged staged = SnapshotSink.collect(staging, -1);
        SnapshotSink.publish(
                work,
                "curated-" + n,
                CurateJob.COLUMNS,
                staged,
                SnapshotProvenance.of(List.of(), Map.of(), null),
                Map.of("written", staged.rows()));
    }

    /** The process's peak resident set (VmHWM) in MiB, or -1 where /proc is not there. */
    static long peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    private static void warmUp(Path work, List<String> beamArgs) throws IOException {
        DatasetSnapshot snapshot = new SnapshotWriter()
                .write(
                        work,
                        "warmup",
                        synthetic(5000, 3).iterator(),
                        SnapshotProvenance.of(List.of(), Map.of(), null),
                        Map.of());
        for (int round = 0; round < 2; round++) {
            pipeline(work, snapshot, STAGES.length - 2, beamArgs).run().waitUntilFinish();
        }
        plainJava(synthetic(5000, 3));
    }

    /**
     * The peer: the same per-conversation work (normalize, redact, shingle and sign, score) as a
     * plain loop on one thread, with in-memory exact-text and band maps for dedupe, and no Beam:
     * the cost of the functions themselves, against which the pipeline's own cost shows.
     */
    static Run plainJava(List<Conversation> data) {
        long t = System.nanoTime();
        Redactor redactor = new Redactor();
        MinHash minHash = MinHash.defaults();
        QualityScorer scorer = new QualityScorer();
        java.util.Set<String> exact = new java.util.HashSet<>();
        Map<String, List<String>> buckets = new java.util.HashMap<>();
        double checksum = 0;
        for (Conversation c : data) {
            Conversation normalized = new Conversation(
                    c.id(), c.source(), c.createdAt(), c.updatedAt(), Normalize.messages(c.messages()), c.metadata());
            Conversation clean = RedactSecrets.redact(normalized, redactor, (kind, n) -> {});
            String text = MinHash.text(clean);
            if (!exact.add(text)) {
                continue;
            }
            for (String key : minHash.lookupKeys(clean, MinHash.shingles(text))) {
                buckets.computeIfAbsent(key, k -> new ArrayList<>()).add(c.id());
            }
            checksum += scorer.score(clean, 1).value();
        }
        double seconds = (System.nanoTime() - t) / 1e9;
        if (Double.isNaN(checksum) || buckets.isEmpty()) {
            throw new IllegalStateException("the plain-Java peer computed nothing");
        }
        return new Run(data.size(), "plain-java-1-thread", seconds, data.size() / seconds);
    }

    /** {@code n} conversations of 2-4 turns, about 5% exact and 5% near duplicates, some secrets. */
    public static List<Conversation> synthetic(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Conversation> out = new ArrayList<>(n);
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
            out.add(c);
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
