package dev.tanrenai.train.loop;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.tanrenai.train.lora.LoraWeights;
import dev.tanrenai.train.model.DecoderModel;
import java.util.Map;

/**
 * Optimises a LoRA adapter with AdamW on next-token cross-entropy, counting only the positions a
 * loss mask selects (assistant tokens). The base stays frozen: only the adapter's factors have
 * gradients.
 */
public final class AdapterTrainer {

    private final DecoderModel model;
    private final LoraWeights lora;
    private final AdamW optimizer;

    /**
     * @param learningRate AdamW step size
     * @param weightDecay AdamW decoupled weight decay
     * @param clipGradient per-element gradient clipping bound (0 = none)
     */
    public AdapterTrainer(
            DecoderModel model, LoraWeights lora, float learningRate, float weightDecay, float clipGradient) {
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learning rate must be > 0, got " + learningRate);
        }
        this.model = model;
        this.lora = lora;
        this.optimizer = new AdamW(learningRate, weightDecay, clipGradient);
    }

    /**
     * One optimisation step on one sequence.
     *
     * @param tokens the sequence
     * @param lossMask {@code lossMask[i]} says whether predicting {@code tokens[i]} counts; at least
     *     one position after the first must be selected
     * @return the mean cross-entropy over the selected positions, before the update
     */
    public float step(int[] tokens, boolean[] lossMask, NDManager parent) {
        if (tokens.length != lossMask.length || tokens.length < 2) {
            throw new IllegalArgumentException("need >= 2 tokens and one mask entry per token, got " + tokens.length
                    + " tokens and " + lossMask.length + " mask entries");
        }
        int vocab = model.config().vocabSize();
        int predictions = tokens.length - 1;
        float[] target = new float[predictions * vocab]; // [seq-1, vocab] one-hot of selected next tokens
        int counted = 0;
        for (int i = 0; i < predictions; i++) {
            if (lossMask[i + 1]) {
                target[i * vocab + tokens[i + 1]] = 1f;
                counted++;
            }
        }
        if (counted == 0) {
            throw new IllegalArgumentException("the loss mask selects no token to predict");
        }
        float loss;
        try (NDManager m = parent.newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray logits = model.logits(tokens, m).get(new NDIndex(":-1")); // [seq-1, vocab]
            NDArray logProbs = logits.logSoftmax(-1); // [seq-1, vocab]
            NDArray value = logProbs.mul(m.create(target, new Shape(predictions, vocab)))
                    .sum()
                    .neg()
                    .div(counted); // []
            loss = value.getFloat();
            if (!Float.isFinite(loss)) {
                throw new IllegalStateException(
                        "training diverged: the loss is " + loss + " (lower the learning rate or clip gradients)");
            }
            collector.backward(value);
        }
        for (Map.Entry<String, LoraWeights.Pair> e : lora.pairsByTensor().entrySet()) {
            update(e.getKey() + ".lora_a", e.getValue().a());
            update(e.getKey() + ".lora_b", e.getValue().b());
        }
        return loss;
    }

    private void update(String id, NDArray parameter) {
        optimizer.update(id, parameter, parameter.getGradient());
    }
}
