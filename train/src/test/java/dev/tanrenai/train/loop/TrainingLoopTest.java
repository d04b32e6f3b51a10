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
import java.nio.file.Files;
import java.nio.file.Path;
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
        assertEquals(2, Files.list(stopped.resolve(Checkpoint.DIRECTORY)).count(), "keeps the newest two");
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
