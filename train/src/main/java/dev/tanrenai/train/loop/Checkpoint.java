package dev.tanrenai.train.loop;

import ai.djl.ndarray.NDArray;
import dev.tanrenai.models.gguf.GgufFile;
import dev.tanrenai.models.gguf.GgufMetadata;
import dev.tanrenai.models.gguf.GgufWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A training checkpoint: one GGUF file (written atomically) holding every adapter factor, AdamW's
 * two moments for each ({@code <id>.adam_m}, {@code <id>.adam_v}), the optimizer's step, the data
 * position, the run's fingerprint — everything needed to continue exactly where it stopped — and a
 * SHA-256 over all of it ({@link CheckpointDigest}), checked with the values' finiteness before a
 * resume ({@link CheckpointState}).
 *
 * @param step optimizer steps completed
 * @param dataPosition packed sequences consumed (across epochs)
 * @param fingerprint the run's configuration, base model and data; resuming another run is refused
 * @param file where it is
 */
public record Checkpoint(int step, long dataPosition, String fingerprint, Path file) {

    static final String DIRECTORY = "checkpoints";
    static final String KEY = "tanrenai.checkpoint.";
    static final String TYPE = "tanrenai-checkpoint";
    private static final Pattern NAME = Pattern.compile("step-(\\d{8})\\.gguf");

    /** Writes the trainer's state after {@code step} steps into {@code runDir}, keeping the newest {@code keep}. */
    static Checkpoint write(
            Path runDir, int step, long dataPosition, String fingerprint, AdapterTrainer trainer, int keep)
            throws IOException {
        Path dir = Files.createDirectories(runDir.resolve(DIRECTORY));
        AdamW.State optimizer = trainer.optimizerState();
        GgufWriter w = new GgufWriter()
                .putString("general.type", TYPE)
                .putUint32(KEY + "step", step)
                .putUint64(KEY + "data_position", dataPosition)
                .putString(KEY + "fingerprint", fingerprint)
                .putUint32(KEY + "optimizer_step", optimizer.step());
        CheckpointDigest digest = new CheckpointDigest(step, dataPosition, fingerprint, optimizer.step());
        for (Map.Entry<String, NDArray> p : trainer.parameters().entrySet()) {
            String id = p.getKey();
            float[] values = p.getValue().toFloatArray();
            float[] first = optimizer.firstMoments().getOrDefault(id, new float[values.length]);
            float[] second = optimizer.secondMoments().getOrDefault(id, new float[values.length]);
            long[] shape = {values.length};
            w.addF32(id, shape, values);
            w.addF32(id + CheckpointState.FIRST_MOMENT, shape, first);
            w.addF32(id + CheckpointState.SECOND_MOMENT, shape, second);
            digest.tensor(id, values)
                    .tensor(id + CheckpointState.FIRST_MOMENT, first)
                    .tensor(id + CheckpointState.SECOND_MOMENT, second);
        }
        w.putString(KEY + "sha256", digest.hex());
        Path file = dir.resolve(String.format("step-%08d.gguf", step));
        w.write(file);
        List<Path> all = files(runDir);
        for (int i = 0; i < all.size() - keep; i++) {
            Files.deleteIfExists(all.get(i));
        }
        return new Checkpoint(step, dataPosition, fingerprint, file);
    }

    /** The checkpoint files of {@code runDir}, oldest first (by name; nothing is read). */
    static List<Path> files(Path runDir) throws IOException {
        Path dir = runDir.resolve(DIRECTORY);
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                if (NAME.matcher(f.getFileName().toString()).matches()) {
                    out.add(f);
                }
            }
        }
        return out;
    }

    /** The newest checkpoint of {@code runDir} (its header, unverified), if any. */
    public static Optional<Checkpoint> latest(Path runDir) throws IOException {
        List<Path> all = files(runDir);
        return all.isEmpty() ? Optional.empty() : Optional.of(readHeader(all.get(all.size() - 1)));
    }

    private static Checkpoint readHeader(Path f) throws IOException {
        try (GgufFile g = GgufFile.open(f)) {
            GgufMetadata md = g.metadata();
            if (!TYPE.equals(md.optionalString("general.type").orElse(null))) {
                throw new CheckpointException(f, "not a Tanrenai training checkpoint (general.type)");
            }
            return new Checkpoint(
                    md.getInt(KEY + "step"), md.getLong(KEY + "data_position"), md.getString(KEY + "fingerprint"), f);
        }
    }
}
