package dev.tanrenai.pipelines.loop;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tanrenai.curate.HistoryIndex;
import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.snapshot.DatasetSnapshot;
import dev.tanrenai.datasets.store.Database;
import dev.tanrenai.models.registry.Adapter;
import dev.tanrenai.pipelines.config.TanrenaiConfig;
import dev.tanrenai.train.replay.ReplayBuffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a trained adapter learned, committed only when it is promoted. The train stage writes the
 * adapter's pending lineage ({@value #FILE} in its training run's directory); a promotion — the
 * nightly run's, or {@code pipeline run evaluate --promote} — commits it: the trained conversations
 * are offered to the replay buffer and their batches marked learned in one transaction, then recorded
 * in curate's dedupe history (so later curate runs drop their near duplicates). A candidate the gate
 * refuses, or one nobody promotes, is never treated as learned.
 */
public final class Lineage {

    /** The pending lineage's file in a training run's directory. */
    public static final String FILE = "lineage.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param dataset the trained snapshot's directory
     * @param batches the snapshots marked learned on promotion
     * @param trainedOn the ids of the conversations trained on
     */
    public record Pending(String dataset, List<String> batches, List<String> trainedOn) {
        public Pending {
            Objects.requireNonNull(dataset, "dataset");
            batches = List.copyOf(batches);
            trainedOn = List.copyOf(trainedOn);
        }
    }

    /**
     * @param conversations conversations recorded as learned
     * @param replayKept how many the replay buffer kept; -1 when the lineage was committed before
     */
    public record Committed(int conversations, int replayKept) {
        public boolean alreadyCommitted() {
            return replayKept < 0;
        }
    }

    private Lineage() {}

    /** Writes the pending lineage of a training run (committed by {@link #commit} only on promotion). */
    public static void writePending(Path runDir, DatasetSnapshot dataset, List<String> batches, List<String> trainedOn)
            throws IOException {
        Path tmp = runDir.resolve(FILE + ".tmp");
        JSON.writerWithDefaultPrettyPrinter()
                .writeValue(tmp.toFile(), new Pending(dataset.dir().toString(), batches, trainedOn));
        Files.move(
                tmp,
                runDir.resolve(FILE),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** The lineage {@code adapter}'s training run left, or empty (an adapter added by hand, or trained elsewhere). */
    public static Optional<Pending> pending(TanrenaiConfig config, Adapter adapter) throws IOException {
        if (adapter.producingRunId() == null) {
            return Optional.empty();
        }
        Path file = config.home().runsDir().resolve(adapter.producingRunId()).resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), Pending.class));
        } catch (IOException e) {
            throw new IOException(
                    "unreadable pending lineage " + file + " of adapter " + adapter.id() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Commits {@code pending}, the lineage of training run {@code trainRunId}: once; a second commit
     * (a rerun after a crash) finds its batches learned and only rewrites the dedupe history.
     *
     * @param promotedBy the run or command that promoted it
     * @param evaluationId the evaluation that decided the promotion
     */
    public static Committed commit(
            TanrenaiConfig config,
            Database db,
            String trainRunId,
            Pending pending,
            String promotedBy,
            String evaluationId)
            throws IOException {
        DatasetSnapshot dataset = DatasetSnapshot.open(Path.of(pending.dataset()));
        List<Conversation> trainedOn = LoopStages.conversations(dataset, pending.trainedOn());
        if (trainedOn.size() != pending.trainedOn().size()) {
            throw new IllegalStateException("the lineage of training run " + trainRunId + " names "
                    + pending.trainedOn().size() + " conversations, but snapshot " + pending.dataset() + " holds "
                    + trainedOn.size() + " of them");
        }
        new RunRecords(db); // the batches' table
        ReplayBuffer replay = LoopStages.replay(config, db);
        int kept = db.write("commit the lineage of training run " + trainRunId, c -> {
            if (!pending.batches().isEmpty() && Batches.allLearned(c, pending.batches())) {
                return -1;
            }
            int k = replay.offer(c, trainedOn, trainRunId);
            Batches.markLearned(c, pending.batches(), promotedBy, evaluationId);
            return k;
        });
        HistoryIndex.replace(config.home().dedupeHistoryDir(), trainRunId, trainedOn.iterator());
        HistoryIndex.replace(
                config.home().dedupeHistoryDir(), "replay", replay.contents().iterator());
        return new Committed(trainedOn.size(), kept);
    }
}
