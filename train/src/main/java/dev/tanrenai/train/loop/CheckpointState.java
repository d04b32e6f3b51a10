package dev.tanrenai.train.loop;

import ai.djl.ndarray.NDArray;
import dev.tanrenai.models.gguf.GgufFile;
import dev.tanrenai.models.gguf.GgufMetadata;
import dev.tanrenai.models.gguf.GgufTensorInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * A checkpoint's content, read whole and verified before anything is restored: its SHA-256 matches
 * what was read, every value is finite and every second moment non-negative. {@link #restoreInto}
 * checks it fits the adapter before it changes the trainer, so a refused checkpoint leaves the
 * trainer as it was.
 */
final class CheckpointState {

    static final String FIRST_MOMENT = ".adam_m";
    static final String SECOND_MOMENT = ".adam_v";

    private final Checkpoint header;
    private final int optimizerStep;
    private final Map<String, float[]> values = new TreeMap<>();
    private final Map<String, float[]> first = new TreeMap<>();
    private final Map<String, float[]> second = new TreeMap<>();

    private CheckpointState(Checkpoint header, int optimizerStep) {
        this.header = header;
        this.optimizerStep = optimizerStep;
    }

    Checkpoint header() {
        return header;
    }

    /**
     * Reads and verifies {@code file}.
     *
     * @throws CheckpointException saying what is wrong: unreadable, no or a wrong checksum, a non-finite value
     */
    static CheckpointState load(Path file) throws CheckpointException {
        try (GgufFile g = GgufFile.open(file)) {
            GgufMetadata md = g.metadata();
            if (!Checkpoint.TYPE.equals(md.optionalString("general.type").orElse(null))) {
                throw new CheckpointException(file, "not a Tanrenai training checkpoint (general.type)");
            }
            String expected = md.optionalString(Checkpoint.KEY + "sha256")
                    .orElseThrow(() -> new CheckpointException(
                            file, "has no checksum (" + Checkpoint.KEY + "sha256): it cannot be verified"));
            Checkpoint header = new Checkpoint(
                    md.getInt(Checkpoint.KEY + "step"),
                    md.getLong(Checkpoint.KEY + "data_position"),
                    md.getString(Checkpoint.KEY + "fingerprint"),
                    file);
            CheckpointState state = new CheckpointState(header, md.getInt(Checkpoint.KEY + "optimizer_step"));
            CheckpointDigest digest = new CheckpointDigest(
                    header.step(), header.dataPosition(), header.fingerprint(), state.optimizerStep);
            for (GgufTensorInfo t : g.tensors()) {
                float[] v = g.dequantize(t.name());
                digest.tensor(t.name(), v);
                state.put(t.name(), v);
            }
            String actual = digest.hex();
            if (!actual.equals(expected)) {
                throw new CheckpointException(
                        file,
                        "checksum mismatch: damaged or changed after it was written (recorded SHA-256 " + expected
                                + ", content " + actual + ")");
            }
            state.requireFinite(file);
            return state;
        } catch (CheckpointException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException(file, "unreadable: " + e.getMessage(), e);
        }
    }

    private void put(String name, float[] v) {
        if (name.endsWith(FIRST_MOMENT)) {
            first.put(name.substring(0, name.length() - FIRST_MOMENT.length()), v);
        } else if (name.endsWith(SECOND_MOMENT)) {
            second.put(name.substring(0, name.length() - SECOND_MOMENT.length()), v);
        } else {
            values.put(name, v);
        }
    }

    private void requireFinite(Path file) throws CheckpointException {
        for (Map<String, float[]> group : java.util.List.of(values, first, second)) {
            String suffix = group == values ? "" : group == first ? FIRST_MOMENT : SECOND_MOMENT;
            for (Map.Entry<String, float[]> e : group.entrySet()) {
                float[] v = e.getValue();
                for (int i = 0; i < v.length; i++) {
                    if (!Float.isFinite(v[i]) || (group == second && v[i] < 0)) {
                        throw new CheckpointException(
                                file,
                                "holds an impossible value: " + e.getKey() + suffix + "[" + i + "] = " + v[i]
                                        + (group == second ? " (a second moment must be finite and >= 0)" : ""));
                    }
                }
            }
        }
    }

    /**
     * Loads the factors and optimizer state into {@code trainer}, after checking every parameter is
     * there with its size and both moments.
     */
    void restoreInto(AdapterTrainer trainer) throws CheckpointException {
        Path file = header.file();
        Map<String, NDArray> parameters = trainer.parameters();
        for (Map.Entry<String, NDArray> p : parameters.entrySet()) {
            String id = p.getKey();
            float[] v = values.get(id);
            if (v == null) {
                throw new CheckpointException(file, "has no tensor " + id + ": it was written for another adapter");
            }
            if (v.length != p.getValue().size()) {
                throw new CheckpointException(
                        file,
                        id + " has " + v.length + " values, the adapter "
                                + p.getValue().size());
            }
            for (Map<String, float[]> moments : java.util.List.of(first, second)) {
                float[] m = moments.get(id);
                String suffix = moments == first ? FIRST_MOMENT : SECOND_MOMENT;
                if (m == null || m.length != v.length) {
                    throw new CheckpointException(
                            file,
                            m == null
                                    ? "has no tensor " + id + suffix
                                    : id + suffix + " has " + m.length + " values, " + id + " " + v.length);
                }
            }
        }
        if (!values.keySet().equals(parameters.keySet())) {
            throw new CheckpointException(
                    file, "holds tensors the adapter does not have: it was written for another adapter");
        }
        for (Map.Entry<String, NDArray> p : parameters.entrySet()) {
            AdapterTrainer.overwrite(p.getValue(), values.get(p.getKey()));
        }
        trainer.restoreOptimizer(new AdamW.State(optimizerStep, first, second));
    }
}
