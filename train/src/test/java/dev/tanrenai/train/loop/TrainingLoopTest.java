package dev.tanrenai.train.loop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.tanrenai.decoder.DecoderWeights;
import dev.tanrenai.decoder.lora.LoraConfig;
import dev.tanrenai.decoder.lora.LoraTarget;
import dev.tanrenai.decoder.lora.LoraWeights;
import dev.tanrenai.decoder.render.TrainingExample;
import dev.tanrenai.models.gguf.GgufFile;
import dev.tanrenai.models.tiny.TinyModelMaker;
import dev.tanrenai.models.tiny.TinyModelSpec;
import dev.tanrenai.train.data.PackedSequence;
import dev.tanrenai.train.data.SequencePacker;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints hold everything: a run stopped and resumed ends with the very weights of one that never stopped. */
class TrainingLoopTest {

    // dropout, accumulation, replay with the KL term, more steps than one epoch: every source of state
    private static final TrainConfig CONFIG = new TrainConfig(9, 5e-3f, 2, 0.1f, 0.01f, 1f, 2, 24, 0.2, 0.5f, 2, 2, 11);
    private static final LoraConfig LORA = new LoraConfig(4, 8f, 0.1f, EnumSet.allOf(LoraTarget.class), 5);

    @TempDir
    Path dir;

    private Path model;
    private List<PackedSequence> data;

    @BeforeEach
    void setUp() throws Exception {
        model = dir.resolve("tiny.gguf");
        TinyModelMaker.write(TinyModelSpec.llamaDefault(), model);
        List<SequencePacker.Item> items = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int[] tokens = new int[8 + i % 3];
            boolean[] mask = new boolean[tokens.length];
            tokens[0] = 1;
            for (int j = 1; j < tokens.length; j++) {
                tokens[j] = 3 + (i * 37 + j * 11) % 250;
                mask[j] = j >= 4;
            }
            items.add(new SequencePacker.Item(new TrainingExample("c" + i, tokens, mask), i % 3 == 0));
        }
        data = SequencePacker.pack(items, CONFIG.maxLength(), CONFIG.seed()).sequences();
        assertTrue(data.size() >= 3 && data.size() < 2 * CONFIG.steps(), "several epochs: " + data.size());
    }

    /** The adapter of the uninterrupted run (the same in every test: seeded), trained once. */
    private static byte[] uninterrupted;

    private byte[] uninterrupted() throws Exception {
        if (uninterrupted == null) {
            uninterrupted = train(dir.resolve("whole"), false, TrainListener.none());
        }
        return uninterrupted;
    }

    private byte[] train(Path runDir, boolean resume, TrainListener listener) throws Exception {
        try (GgufFile gguf = GgufFile.open(model);
                NDManager m = NDManager.newBaseManager()) {
            DecoderWeights weights = DecoderWeights.load(gguf, m);
            LoraWeights lora = LoraWeights.initialize(LORA, weights.config(), m);
            AdapterTrainer trainer = new AdapterTrainer(weights, lora, CONFIG.weightDecay());
            new TrainingLoop(CONFIG, trainer, data, runDir, "fp-1").run(resume, listener, m);
            Path out = runDir.resolve("adapter.gguf");
            lora.writeGguf(out);
            return Files.readAllBytes(out);
        }
    }

    @Test
    void aStoppedRunResumedFromItsCheckpointEndsWithTheSameWeights() throws Exception {
        List<StepMetrics> steps = new ArrayList<>();
        byte[] uninterrupted = train(dir.resolve("whole"), false, steps::add);
        assertEquals(9, steps.size());
        assertTrue(steps.get(8).loss() < steps.get(0).loss(), "it learns: " + steps);
        assertTrue(steps.stream().anyMatch(s -> s.kl() > 0), "the KL term is on replay tokens");
        assertTrue(steps.get(8).epoch() >= 1, "the data is gone through more than once");

        Path stopped = dir.resolve("stopped");
        RuntimeException kill = assertThrows(
                RuntimeException.class,
                () -> train(stopped, false, s -> {
                    if (s.step() == 5) {
                        throw new IllegalStateException("killed at step 5");
                    }
                }));
        assertEquals("killed at step 5", kill.getMessage());
        assertEquals(4, Checkpoint.latest(stopped).orElseThrow().step(), "steps 2 and 4 were checkpointed");
        assertEquals(
                5,
                Files.readAllLines(stopped.resolve(TrainingLoop.METRICS_FILE)).size());

        byte[] resumed = train(stopped, true, s -> assertTrue(s.step() > 4, "resumes after step 4"));
        assertArrayEquals(uninterrupted, resumed, "bit-identical adapter after resume");
        assertEquals(
                9,
                Files.readAllLines(stopped.resolve(TrainingLoop.METRICS_FILE)).size(),
                "one line per step");
        assertEquals(2, Checkpoint.files(stopped).size(), "keeps the newest two");
    }

    /** Trains {@code runDir} and stops it after step 5: checkpoints of steps 2 and 4 remain. */
    private void trainAndStopAtStep5(Path runDir) {
        assertThrows(
                IllegalStateException.class,
                () -> train(runDir, false, s -> {
                    if (s.step() == 5) {
                        throw new IllegalStateException("killed at step 5");
                    }
                }));
    }

    private static Path checkpointFile(Path runDir, int step) {
        return runDir.resolve(Checkpoint.DIRECTORY).resolve(String.format("step-%08d.gguf", step));
    }

    /** Overwrites the last float of the file (the last tensor's last value) with {@code value}'s bits. */
    private static void setLastFloat(Path file, float value) throws Exception {
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value);
            c.write(b.flip(), c.size() - 4);
        }
    }

    private static float lastFloat(Path file) throws Exception {
        byte[] all = Files.readAllBytes(file);
        return ByteBuffer.wrap(all, all.length - 4, 4)
                .order(ByteOrder.LITTLE_ENDIAN)
                .getFloat();
    }

    @Test
    void aNewestCheckpointWithAFlippedBitIsSkippedAndThePreviousOneResumed() throws Exception {
        Path stopped = dir.resolve("stopped");
        trainAndStopAtStep5(stopped);
        Path newest = checkpointFile(stopped, 4);
        setLastFloat(newest, Float.intBitsToFloat(Float.floatToRawIntBits(lastFloat(newest)) ^ (1 << 30))); // one bit

        List<Integer> steps = new ArrayList<>();
        List<CheckpointRejection> rejected = new ArrayList<>();
        byte[] resumed = train(stopped, true, listener(steps, rejected));
        assertEquals(3, steps.get(0), "resumed after the good checkpoint of step 2, not the corrupt one of step 4");
        assertArrayEquals(uninterrupted(), resumed, "the corrupt checkpoint changed nothing");
        assertEquals(1, rejected.size(), "the corrupt one is reported: " + rejected);
        assertEquals(newest.toString(), rejected.get(0).file());
        assertTrue(
                rejected.get(0).reason().startsWith("checksum mismatch"),
                rejected.get(0).reason());
    }

    @Test
    void aNewestCheckpointHoldingNaNIsSkippedAndThePreviousOneResumed() throws Exception {
        Path stopped = dir.resolve("stopped");
        trainAndStopAtStep5(stopped);
        setLastFloat(checkpointFile(stopped, 4), Float.NaN);

        List<Integer> steps = new ArrayList<>();
        List<CheckpointRejection> rejected = new ArrayList<>();
        byte[] resumed = train(stopped, true, listener(steps, rejected));
        assertEquals(3, steps.get(0), "resumed after the good checkpoint of step 2");
        assertArrayEquals(uninterrupted(), resumed);
        assertEquals(1, rejected.size(), "reported: " + rejected);
        assertTrue(
                rejected.get(0).reason().startsWith("checksum mismatch"),
                rejected.get(0).reason());
    }

    @Test
    void noGoodCheckpointIsAClearErrorNamingEach() throws Exception {
        Path stopped = dir.resolve("stopped");
        trainAndStopAtStep5(stopped);
        setLastFloat(checkpointFile(stopped, 4), Float.NaN);
        Path older = checkpointFile(stopped, 2);
        setLastFloat(older, Float.intBitsToFloat(Float.floatToRawIntBits(lastFloat(older)) ^ (1 << 30)));

        CheckpointException e =
                assertThrows(CheckpointException.class, () -> train(stopped, true, TrainListener.none()));
        assertTrue(
                e.getMessage().contains("step-00000004.gguf") && e.getMessage().contains("step-00000002.gguf"),
                e.getMessage());
        assertTrue(
                e.getMessage().contains("no usable checkpoint")
                        && e.getMessage().contains("checksum mismatch"),
                e.getMessage());
    }

    @Test
    void aCheckpointWithAValidChecksumButNonFiniteValuesIsRefusedNamingTheValue() throws Exception {
        Path run = dir.resolve("run");
        try (GgufFile gguf = GgufFile.open(model);
                NDManager m = NDManager.newBaseManager()) {
            DecoderWeights weights = DecoderWeights.load(gguf, m);
            LoraWeights lora = LoraWeights.initialize(LORA, weights.config(), m);
            AdapterTrainer trainer = new AdapterTrainer(weights, lora, 0f);
            var first = trainer.parameters().entrySet().iterator().next();
            float[] values = first.getValue().toFloatArray();
            values[3] = Float.POSITIVE_INFINITY;
            AdapterTrainer.overwrite(first.getValue(), values);
            Checkpoint.write(run, 2, 2, "fp-1", trainer, 2); // checksummed as written

            CheckpointException e =
                    assertThrows(CheckpointException.class, () -> CheckpointState.load(checkpointFile(run, 2)));
            assertEquals("holds an impossible value: " + first.getKey() + "[3] = Infinity", e.reason());
        }
    }

    @Test
    void aResumeAtTheFinalStepRunsNoStepAndRestoresTheFinalWeights() throws Exception {
        Path run = dir.resolve("run");
        byte[] finished = train(run, false, TrainListener.none());
        List<Integer> steps = new ArrayList<>();
        byte[] again = train(run, true, s -> steps.add(s.step()));
        assertEquals(List.of(), steps, "nothing left to train");
        assertArrayEquals(finished, again, "the final checkpoint's weights");
    }

    private static TrainListener listener(List<Integer> steps, List<CheckpointRejection> rejected) {
        return new TrainListener() {
            @Override
            public void onStep(StepMetrics metrics) {
                steps.add(metrics.step());
            }

            @Override
            public void onCheckpointRejected(CheckpointRejection rejection) {
                rejected.add(rejection);
            }
        };
    }

    @Test
    void aCheckpointOfAnotherRunIsRefused() throws Exception {
        Path run = dir.resolve("run");
        train(run, false, TrainListener.none());
        try (GgufFile gguf = GgufFile.open(model);
                NDManager m = NDManager.newBaseManager()) {
            DecoderWeights weights = DecoderWeights.load(gguf, m);
            LoraWeights lora = LoraWeights.initialize(LORA, weights.config(), m);
            TrainingLoop other = new TrainingLoop(CONFIG, new AdapterTrainer(weights, lora, 0f), data, run, "fp-2");
            CheckpointException e =
                    assertThrows(CheckpointException.class, () -> other.run(true, TrainListener.none(), m));
            assertTrue(e.getMessage().contains("other settings"), e.getMessage());
        }
    }
}
