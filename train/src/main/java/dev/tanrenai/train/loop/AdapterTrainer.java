package dev.tanrenai.train.loop;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.tanrenai.decoder.DecoderModel;
import dev.tanrenai.decoder.DecoderWeights;
import dev.tanrenai.decoder.Scalars;
import dev.tanrenai.decoder.Tensors;
import dev.tanrenai.decoder.lora.LoraWeights;
import dev.tanrenai.train.data.PackedSequence;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Optimises a LoRA adapter on next-token cross-entropy over the loss-masked (assistant) positions,
 * optionally plus a KL-to-base term on replay tokens: {@code KL(p_base ‖ p_adapted)} per position,
 * which distils the frozen base's predictions into the adapted model where it must not forget. The
 * base stays frozen: only the adapter's factors have gradients.
 *
 * <p>One optimizer step is any number of {@link #accumulate} calls (gradient accumulation, summed
 * on the host) followed by one {@link #applyStep} (global-norm clipping, AdamW).
 */
public final class AdapterTrainer {

    /**
     * What one packed sequence contributed.
     *
     * @param crossEntropySum summed cross-entropy over its counted positions (nats)
     * @param trainedTokens counted positions
     * @param klSum summed KL-to-base over its replay positions (0 when KL is off)
     * @param klTokens replay positions the KL term covered
     */
    public record Contribution(double crossEntropySum, int trainedTokens, double klSum, int klTokens) {}

    /** Runs between the forward and the backward pass; tests use it to force a garbage collection there. */
    static volatile Runnable beforeBackward = () -> {};

    private final DecoderModel model;
    private final DecoderModel base;
    private final LoraWeights lora;
    private final AdamW optimizer;
    private final Map<String, float[]> gradients = new TreeMap<>(); // accumulated this step, by parameter id

    /** @param weightDecay AdamW's decoupled weight decay */
    public AdapterTrainer(DecoderWeights weights, LoraWeights lora, float weightDecay) {
        this.model = new DecoderModel(weights, lora);
        this.base = new DecoderModel(weights);
        this.lora = lora;
        this.optimizer = new AdamW(weightDecay);
    }

    /**
     * Forward and backward pass over {@code sequence}, adding its gradient to this step's.
     *
     * @param crossEntropyScale weight of each counted position's cross-entropy, e.g. 1 / (counted positions of the step)
     * @param klScale weight of each replay position's KL term, e.g. β / (replay positions of the step); 0 = off
     */
    public Contribution accumulate(PackedSequence sequence, float crossEntropyScale, float klScale, NDManager parent) {
        int[] tokens = sequence.tokens();
        boolean[] lossMask = sequence.lossMask();
        boolean[] replay = sequence.replay();
        int[] segments = sequence.segments();
        int predictions = tokens.length - 1;
        long[] targets = new long[predictions]; // [seq-1]: the next token of each position
        float[] counted = new float[predictions]; // [seq-1]: 1 where the loss counts that prediction
        float[] klCounted = new float[predictions]; // [seq-1]: 1 on replay positions within one segment
        int trained = 0;
        int klTokens = 0;
        for (int i = 0; i < predictions; i++) {
            targets[i] = tokens[i + 1];
            if (lossMask[i + 1]) {
                counted[i] = 1f;
                trained++;
            }
            if (klScale > 0 && replay[i] && segments[i] == segments[i + 1]) {
                klCounted[i] = 1f;
                klTokens++;
            }
        }
        if (trained == 0 && klTokens == 0) {
            throw new IllegalArgumentException("the loss mask of " + sequence + " selects no token to predict");
        }
        double crossEntropySum;
        double klSum = 0;
        lora.setTraining(true);
        try (NDManager m = parent.newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray logProbs =
                    model.logits(tokens, segments, m).get(new NDIndex(":-1")).logSoftmax(-1); // [seq-1, vocab]
            NDArray picked = logProbs.gather(Tensors.of(m, targets, new Shape(predictions, 1)), 1); // [seq-1, 1]
            NDArray crossEntropy = picked.mul(Tensors.of(m, counted, new Shape(predictions, 1)))
                    .sum()
                    .neg(); // []
            crossEntropySum = crossEntropy.getFloat();
            NDArray objective = crossEntropy.mul(Scalars.of(crossEntropy, crossEntropyScale));
            if (klTokens > 0) {
                NDArray baseLogProbs = base.logits(tokens, segments, m)
                        .get(new NDIndex(":-1"))
                        .logSoftmax(-1)
                        .stopGradient(); // [seq-1, vocab]
                NDArray perPosition =
                        baseLogProbs.exp().mul(baseLogProbs.sub(logProbs)).sum(new int[] {1}, true); // [seq-1, 1]
                NDArray kl = perPosition
                        .mul(Tensors.of(m, klCounted, new Shape(predictions, 1)))
                        .sum(); // []
                klSum = kl.getFloat();
                objective = objective.add(kl.mul(Scalars.of(kl, klScale)));
            }
            if (!Double.isFinite(crossEntropySum) || !Double.isFinite(klSum)) {
                throw new IllegalStateException("training diverged: the loss is " + crossEntropySum + " (KL " + klSum
                        + ") on " + sequence + "; lower the learning rate");
            }
            beforeBackward.run();
            collector.backward(objective);
        } finally {
            lora.setTraining(false);
        }
        for (Map.Entry<String, NDArray> p : parameters().entrySet()) {
            NDArray gradient = p.getValue().getGradient();
            float[] g = gradient.toFloatArray();
            float[] sum = gradients.computeIfAbsent(p.getKey(), k -> new float[g.length]);
            for (int i = 0; i < g.length; i++) {
                sum[i] += g[i];
            }
            // Zero in place. Never gradient.set(buffer): DJL's set() points the tensor at a direct buffer
            // that only this transient wrapper keeps alive, so after a GC the parameter's gradient would
            // live in freed memory (sporadic NaN and run-to-run drift).
            gradient.subi(gradient);
        }
        return new Contribution(crossEntropySum, trained, klSum, klTokens);
    }

    /**
     * Clips the accumulated gradient to global L2 norm {@code maxGradNorm} (0 = no clipping), applies
     * one AdamW update at {@code learningRate} and clears the accumulated gradient.
     *
     * @return the gradient's global L2 norm before clipping
     */
    public float applyStep(float learningRate, float maxGradNorm) {
        if (gradients.isEmpty()) {
            throw new IllegalStateException("no gradient accumulated: call accumulate() before applyStep()");
        }
        double squares = 0;
        for (Map.Entry<String, float[]> e : gradients.entrySet()) {
            for (float g : e.getValue()) {
                if (!Float.isFinite(g)) {
                    throw new IllegalStateException("training diverged: the gradient of " + e.getKey() + " is " + g);
                }
                squares += (double) g * g;
            }
        }
        float norm = (float) StrictMath.sqrt(squares);
        float clip = maxGradNorm > 0 && norm > maxGradNorm ? maxGradNorm / norm : 1f;
        optimizer.beginStep();
        for (Map.Entry<String, NDArray> p : parameters().entrySet()) {
            float[] g = gradients.get(p.getKey());
            if (clip != 1f) {
                for (int i = 0; i < g.length; i++) {
                    g[i] *= clip;
                }
            }
            float[] w = p.getValue().toFloatArray();
            optimizer.update(p.getKey(), w, g, learningRate);
            overwrite(p.getValue(), w);
        }
        gradients.clear();
        return norm;
    }

    /** One accumulate + apply on a single unpacked sequence (mean cross-entropy, no KL); returns the loss. */
    public float step(int[] tokens, boolean[] lossMask, float learningRate, float maxGradNorm, NDManager m) {
        PackedSequence s = new PackedSequence(
                tokens, lossMask, new boolean[tokens.length], new int[tokens.length], List.of("sequence"));
        int trained = s.trainedTokens();
        if (trained == 0) {
            throw new IllegalArgumentException("the loss mask selects no token to predict");
        }
        Contribution c = accumulate(s, 1f / trained, 0f, m);
        applyStep(learningRate, maxGradNorm);
        return (float) (c.crossEntropySum() / trained);
    }

    /**
     * Copies {@code values} into {@code parameter}'s own storage. Never {@code NDArray.set(Buffer)}:
     * DJL's PyTorch engine then points the tensor at a direct buffer instead of copying into it, which
     * autograd's bookkeeping does not expect; under memory pressure training drifted and gave NaN.
     */
    static void overwrite(NDArray parameter, float[] values) {
        try (NDManager scratch = parameter.getManager().newSubManager()) {
            NDArray fresh = Tensors.of(scratch, values, parameter.getShape());
            parameter.subi(parameter).addi(fresh);
        }
    }

    /** The optimizer's state, for a checkpoint. */
    AdamW.State optimizerState() {
        return optimizer.state();
    }

    /** Restores the optimizer's state from a checkpoint. */
    void restoreOptimizer(AdamW.State state) {
        if (!gradients.isEmpty()) {
            throw new IllegalStateException("cannot restore the optimizer in the middle of a step");
        }
        optimizer.restore(state);
    }

    /** Every trainable array by id ({@code <base tensor>.lora_a|b}), in id order. */
    Map<String, NDArray> parameters() {
        Map<String, NDArray> byId = new TreeMap<>();
        lora.pairsByTensor().forEach((tensor, pair) -> {
            byId.put(tensor + ".lora_a", pair.a());
            byId.put(tensor + ".lora_b", pair.b());
        });
        return byId;
    }
}
