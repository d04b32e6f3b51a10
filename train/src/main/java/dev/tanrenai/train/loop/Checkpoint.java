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
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A training checkpoint: one GGUF file (written atomically) holding every adapter factor, AdamW's
 * two moments for each ({@code <id>.adam_m}, {@code <id>.adam_v}), the optimizer's step, the data
 * position and the run's fingerprint — everything needed to continue exactly where it stopped.
 *
 * @param step optimizer steps completed
 * @param dataPosition packed sequences consumed (across epochs)
 * @param fingerprint the run's configuration, base model and data; resuming another run is refused
 * @param file where it is
 */
public record Checkpoint(int step, long dataPosition, String fingerprint, Path file) {

    static final String DIRECTORY = "checkpoints";
    private static final Pattern NAME = Pattern.compile("step-(\\d{8})\\.gguf");
    private static final String KEY = "tanrenai.checkpoint.";

    /** Writes the trainer's state after {@code step} steps into {@code runDir}, keeping the newest {@code keep}. */
    static Checkpoint write(
            Path runDir, int step, long dataPosition, String fingerprint, AdapterTrainer trainer, int keep)
            throws IOException {
        Path dir = Files.createDirectories(runDir.resolve(DIRECTORY));
        AdamW.State optimizer = trainer.optimizerState();
        GgufWriter w = new GgufWriter()
                .putString("general.type", "tanrenai-checkpoint")
                .putUint32(KEY + "step", step)
                .putUint64(KEY + "data_position", dataPosition)
                .putString(KEY + "fingerprint", fingerprint)
                .putUint32(KEY + "optimizer_step", optimizer.step());
        for (Map.Entry<String, NDArray> p : trainer.parameters().entrySet()) {
            String id = p.getKey();
            float[] values = p.getValue().toFloatArray();
            long[] shape = {values.length};
            w.addF32(id, shape, values);
            w.addF32(id + ".adam_m", shape, optimizer.firstMoments().getOrDefault(id, new float[values.length]));
            w.addF32(id + ".adam_v", shape, optimizer.secondMoments().getOrDefault(id, new float[values.length]));
        }
        Path file = dir.resolve(String.format("step-%08d.gguf", step));
        w.write(file);
        List<Checkpoint> all = list(runDir);
        for (int i = 0; i < all.size() - keep; i++) {
            Files.deleteIfExists(all.get(i).file());
        }
        return new Checkpoint(step, dataPosition, fingerprint, file);
    }

    /** The checkpoints of {@code runDir}, oldest first (headers only). */
    static List<Checkpoint> list(Path runDir) throws IOException {
        Path dir = runDir.resolve(DIRECTORY);
        List<Checkpoint> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                Matcher m = NAME.matcher(f.getFileName().toString());
                if (m.matches()) {
                    out.add(readHeader(f));
                }
            }
        }
        return out;
    }

    /** The newest checkpoint of {@code runDir}, if any. */
    public static Optional<Checkpoint> latest(Path runDir) throws IOException {
        List<Checkpoint> all = list(runDir);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    private static Checkpoint readHeader(Path f) throws IOException {
        try (GgufFile g = GgufFile.open(f)) {
            GgufMetadata md = g.metadata();
            if (!"tanrenai-checkpoint".equals(md.optionalString("general.type").orElse(null))) {
                throw new CheckpointException(f, "not a Tanrenai training checkpoint (general.type)");
            }
            return new Checkpoint(
                    md.getInt(KEY + "step"), md.getLong(KEY + "data_position"), md.getString(KEY + "fingerprint"), f);
        }
    }

    /** Loads this checkpoint's factors and optimizer state into {@code trainer}. */
    void restoreInto(AdapterTrainer trainer) throws IOException {
        try (GgufFile g = GgufFile.open(file)) {
            Map<String, float[]> first = new TreeMap<>();
            Map<String, float[]> second = new TreeMap<>();
            for (Map.Entry<String, NDArray> p : trainer.parameters().entrySet()) {
                String id = p.getKey();
                if (g.findTensor(id).isEmpty()) {
                    throw new CheckpointException(file, "has no tensor " + id + ": it was written for another adapter");
                }
                float[] values = g.dequantize(id);
                if (values.length != p.getValue().size()) {
                    throw new CheckpointException(
                            file,
                            id + " has " + values.length + " values, the adapter "
                                    + p.getValue().size());
                }
                AdapterTrainer.overwrite(p.getValue(), values);
                first.put(id, g.dequantize(id + ".adam_m"));
                second.put(id, g.dequantize(id + ".adam_v"));
            }
            trainer.restoreOptimizer(new AdamW.State(g.metadata().getInt(KEY + "optimizer_step"), first, second));
        }
    }
}
