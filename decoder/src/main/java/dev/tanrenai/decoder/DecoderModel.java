package dev.tanrenai.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import dev.tanrenai.decoder.lora.LoraTarget;
import dev.tanrenai.decoder.lora.LoraWeights;

/**
 * A llama/qwen2 decoder on DJL NDArrays computing what llama.cpp computes for the same GGUF:
 * RMSNorm, rotary attention with grouped-query heads and a causal mask, SwiGLU feed-forward, final
 * norm and output projection; optionally with a LoRA adapter on its projections, applied as llama.cpp
 * applies a loaded adapter ({@code W·x + (alpha/r)·B·A·x}).
 */
public final class DecoderModel {

    /** The outputs of one forward pass, copied out of the native arrays. */
    public record Output(float[] lastHidden, float[] lastLogits) {}

    private final DecoderWeights weights;
    private final DecoderConfig config;
    private final LoraWeights lora; // null: the base model alone
    private final Bf16Weights low; // null: float32 matrix products
    private ScriptedForward scripted; // compiled on first use

    public DecoderModel(DecoderWeights weights) {
        this(weights, null);
    }

    /** The base model with a LoRA adapter applied to its projections ({@code lora} may be null). */
    public DecoderModel(DecoderWeights weights, LoraWeights lora) {
        this(weights, lora, null);
    }

    /**
     * As {@link #DecoderModel(DecoderWeights, LoraWeights)}, with the blocks' matrix products in bf16
     * when {@code low} (made from {@code weights}) is given: forward-only, see {@link Precision#BFLOAT16}.
     * The adapter's low-rank delta, attention, norms and the output head stay float32.
     */
    public DecoderModel(DecoderWeights weights, LoraWeights lora, Bf16Weights low) {
        this.weights = weights;
        this.config = weights.config();
        this.lora = lora;
        this.low = low;
    }

    public DecoderConfig config() {
        return config;
    }

    /** The precision of the blocks' matrix products. */
    public Precision precision() {
        return low == null ? Precision.FLOAT32 : Precision.BFLOAT16;
    }

    /** Runs {@code tokens} through the model; returns the last position's final hidden state and logits. */
    public Output forward(int[] tokens, NDManager parent) {
        try (NDManager m = parent.newSubManager()) {
            NDArray hidden = hiddenStates(tokens, m); // [seq, dim]
            NDArray last = hidden.get(new NDIndex(tokens.length - 1)); // [dim]
            NDArray logits = last.reshape(1, config.dim()).matMul(weights.outputT()); // [1, vocab]
            return new Output(last.toFloatArray(), logits.toFloatArray());
        }
    }

    /** Next-token logits of every position, {@code [seq, vocab]}, allocated in {@code m}. */
    public NDArray logits(int[] tokens, NDManager m) {
        return hiddenStates(tokens, m).matMul(weights.outputT());
    }

    /**
     * Next-token logits of every position of a packed sequence, {@code [seq, vocab]}: each token
     * attends only to earlier tokens of its own segment and has its position within that segment, so
     * packed examples do not see each other.
     *
     * @param segments {@code segments[i]} numbers the example token {@code i} belongs to (non-decreasing)
     */
    public NDArray logits(int[] tokens, int[] segments, NDManager m) {
        return hiddenStates(tokens, segments, m).matMul(weights.outputT());
    }

    /**
     * Next-token logits of the given positions of a packed sequence only, {@code [positions.length,
     * vocab]}: the output head runs on those rows alone (forward-only scoring skips positions whose next
     * token is not scored). Equal to the same rows of {@link #logits(int[], int[], NDManager)}.
     *
     * @param positions distinct positions in {@code [0, tokens.length)}, in any order
     */
    public NDArray logits(int[] tokens, int[] segments, int[] positions, NDManager m) {
        NDArray hidden = hiddenStates(tokens, segments, m); // [seq, dim]
        if (positions.length == tokens.length && isIdentity(positions)) {
            return hidden.matMul(weights.outputT());
        }
        long[] rows = rows(positions, tokens.length);
        NDArray index = Tensors.of(m, rows, new Shape(rows.length, 1))
                .broadcast(new Shape(rows.length, config.dim())); // [n, dim]
        return hidden.gather(index, 0).matMul(weights.outputT()); // [n, vocab]
    }

    /**
     * Next-token log-probabilities of the given positions of a packed sequence, {@code
     * [positions.length, vocab]}: the log-softmax of {@link #logits(int[], int[], int[], NDManager)},
     * forward-only, computed by {@code engine}. Both engines compute the same operations in the same
     * order; their results agree to float rounding (a few 1e-7 on the tiny models, tested to 1e-5).
     */
    public NDArray logProbs(int[] tokens, int[] segments, int[] positions, ForwardEngine engine, NDManager m) {
        return switch (engine) {
            case DJL -> logits(tokens, segments, positions, m).logSoftmax(-1);
            case TORCHSCRIPT -> scriptedLogProbs(tokens, segments, positions, m);
        };
    }

    /**
     * Next-token log-probabilities of the given positions of several sequences scored side by side
     * ({@code [rows, length]}, right-padded, causal mask: each row computes what the sequence alone
     * computes), {@code [Σ positions[b].length, vocab]}, rows in order and within a row in the order of
     * {@code positions[b]}; forward-only, computed by {@code engine}. The TorchScript pass runs the whole
     * batch as one call; the DJL ops, the reference, run each sequence alone. The attention of a row
     * costs its padded length squared, not that of all rows packed into one sequence.
     *
     * @param positions for each sequence, distinct positions within it, in any order
     */
    public NDArray logProbs(int[][] sequences, int[][] positions, ForwardEngine engine, NDManager m) {
        PaddedBatch batch = new PaddedBatch(sequences, positions);
        return switch (engine) {
            case DJL -> {
                NDList parts = new NDList();
                for (int b = 0; b < sequences.length; b++) {
                    if (positions[b].length > 0) {
                        int[] one = sequences[b];
                        parts.add(logits(one, new int[one.length], positions[b], m)
                                .logSoftmax(-1));
                    }
                }
                yield parts.isEmpty()
                        ? m.zeros(new Shape(0, config.vocabSize()))
                        : parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 0);
            }
            case TORCHSCRIPT -> {
                requireScoringAdapter();
                NDArray x = weights.embed(batch.tokens(), m)
                        .reshape(batch.rows(), batch.length(), config.dim()); // [rows, length, dim]
                Rope rope = new Rope(config, batch.length(), m);
                NDArray mask = segmentCausalMask(new int[batch.length()], m); // [length, length]
                long[] flat = batch.flatPositions();
                NDArray index = Tensors.of(m, flat, new Shape(flat.length));
                yield scripted().logProbs(x, rope.cos(), rope.sin(), mask, index, m);
            }
        };
    }

    private void requireScoringAdapter() {
        if (lora != null && lora.isTraining()) {
            throw new IllegalStateException("the TorchScript forward scores only: the adapter is in training mode"
                    + " (LoRA dropout), which it does not compute; use the DJL forward");
        }
    }

    private NDArray scriptedLogProbs(int[] tokens, int[] segments, int[] positions, NDManager m) {
        if (segments.length != tokens.length) {
            throw new IllegalArgumentException(tokens.length + " tokens but " + segments.length + " segment ids");
        }
        requireScoringAdapter();
        long[] rows = rows(positions, tokens.length);
        NDArray x = weights.embed(tokens, m).reshape(1, tokens.length, config.dim()); // one row: [1, seq, dim]
        Rope rope = new Rope(config, positionsWithinSegments(segments), m);
        NDArray mask = segmentCausalMask(segments, m); // [seq, seq]
        NDArray index = Tensors.of(m, rows, new Shape(rows.length));
        return scripted().logProbs(x, rope.cos(), rope.sin(), mask, index, m);
    }

    private synchronized ScriptedForward scripted() {
        if (scripted == null) {
            scripted = ScriptedForward.load(weights, lora, low);
        }
        return scripted;
    }

    private static long[] rows(int[] positions, int seq) {
        long[] rows = new long[positions.length];
        for (int i = 0; i < positions.length; i++) {
            if (positions[i] < 0 || positions[i] >= seq) {
                throw new IllegalArgumentException(
                        "position " + positions[i] + " is outside the sequence of " + seq + " tokens");
            }
            rows[i] = positions[i];
        }
        return rows;
    }

    private static boolean isIdentity(int[] positions) {
        for (int i = 0; i < positions.length; i++) {
            if (positions[i] != i) {
                return false;
            }
        }
        return true;
    }

    /** Final-norm hidden states of every position, {@code [seq, dim]}, allocated in {@code m}. */
    public NDArray hiddenStates(int[] tokens, NDManager m) {
        return hiddenStates(tokens, new int[tokens.length], m);
    }

    /** Final-norm hidden states of a packed sequence (see {@link #logits(int[], int[], NDManager)}). */
    public NDArray hiddenStates(int[] tokens, int[] segments, NDManager m) {
        int seq = tokens.length;
        if (segments.length != seq) {
            throw new IllegalArgumentException(seq + " tokens but " + segments.length + " segment ids");
        }
        NDArray x = weights.embed(tokens, m); // [seq, dim]
        Rope rope = new Rope(config, positionsWithinSegments(segments), m);
        NDArray mask = segmentCausalMask(segments, m); // [seq, seq]
        for (int i = 0; i < weights.blocks().size(); i++) {
            DecoderWeights.Block b = weights.blocks().get(i);
            NDArray h = rmsNorm(x, b.attnNorm());
            x = x.add(attention(h, b, i, rope, mask)); // [seq, dim]
            NDArray f = rmsNorm(x, b.ffnNorm());
            NDArray fLow = lower(f); // shared by gate and up
            NDArray gate = project(f, fLow, b.wGateT(), i, LoraTarget.GATE); // [seq, ffn]
            NDArray up = project(f, fLow, b.wUpT(), i, LoraTarget.UP); // [seq, ffn]
            NDArray swiglu = gate.mul(Activation.sigmoid(gate)).mul(up);
            x = x.add(project(swiglu, lower(swiglu), b.wDownT(), i, LoraTarget.DOWN)); // [seq, dim]
        }
        return rmsNorm(x, weights.outputNorm());
    }

    /** {@code x} in bf16 for the matrix products, or null when they run in float32. */
    private NDArray lower(NDArray x) {
        return low == null ? null : low.cast().lower(x);
    }

    /**
     * {@code x·Wᵀ}, plus the adapter's delta (from float32 {@code x}) when {@code target} is adapted;
     * the product in bf16 from {@code xLow} when it is given.
     */
    private NDArray project(NDArray x, NDArray xLow, NDArray wT, int block, LoraTarget target) {
        NDArray y = xLow == null ? x.matMul(wT) : Bf16.raise(xLow.matMul(low.of(wT)));
        NDArray delta = lora == null ? null : lora.delta(x, block, target);
        return delta == null ? y : y.add(delta);
    }

    private NDArray attention(NDArray h, DecoderWeights.Block b, int block, Rope rope, NDArray mask) {
        int seq = Math.toIntExact(h.getShape().get(0));
        int heads = config.headCount();
        int kvHeads = config.headCountKv();
        int hd = config.headDim();
        NDArray hLow = lower(h); // shared by q, k and v
        NDArray q = project(h, hLow, b.wqT(), block, LoraTarget.Q); // [seq, heads*hd]
        NDArray k = project(h, hLow, b.wkT(), block, LoraTarget.K); // [seq, kvHeads*hd]
        NDArray v = project(h, hLow, b.wvT(), block, LoraTarget.V); // [seq, kvHeads*hd]
        if (b.bq() != null) {
            q = q.add(b.bq());
            k = k.add(b.bk());
            v = v.add(b.bv());
        }
        q = rope.apply(q.reshape(seq, heads, hd)).transpose(1, 0, 2); // [heads, seq, hd]
        k = rope.apply(k.reshape(seq, kvHeads, hd)).transpose(1, 0, 2); // [kvHeads, seq, hd]
        v = v.reshape(seq, kvHeads, hd).transpose(1, 0, 2); // [kvHeads, seq, hd]
        if (kvHeads != heads) {
            k = k.repeat(0, heads / kvHeads); // [heads, seq, hd]: query head i reads kv head i / group
            v = v.repeat(0, heads / kvHeads);
        }
        NDArray scores = q.matMul(k.transpose(0, 2, 1))
                .mul(Scalars.of(q, (float) (1 / StrictMath.sqrt(hd))))
                .add(mask); // [heads, seq, seq]
        NDArray out = scores.softmax(-1).matMul(v); // [heads, seq, hd]
        NDArray merged = out.transpose(1, 0, 2).reshape(seq, heads * hd); // [seq, heads*hd]
        return project(merged, lower(merged), b.woT(), block, LoraTarget.O); // [seq, dim]
    }

    private NDArray rmsNorm(NDArray x, NDArray weight) {
        NDArray meanSquare = x.square().mean(new int[] {-1}, true); // [seq, 1]
        return x.div(meanSquare.add(Scalars.of(x, config.rmsEps())).sqrt()).mul(weight);
    }

    /** 0 where token i may attend to token j (j <= i, same segment), -inf elsewhere. */
    private static NDArray segmentCausalMask(int[] segments, NDManager m) {
        int seq = segments.length;
        float[] mask = new float[seq * seq];
        for (int i = 0; i < seq; i++) {
            for (int j = 0; j < seq; j++) {
                if (j > i || segments[j] != segments[i]) {
                    mask[i * seq + j] = Float.NEGATIVE_INFINITY;
                }
            }
        }
        return Tensors.of(m, mask, new Shape(seq, seq));
    }

    private static int[] positionsWithinSegments(int[] segments) {
        int[] positions = new int[segments.length];
        for (int i = 0; i < segments.length; i++) {
            if (i > 0 && segments[i] < segments[i - 1]) {
                throw new IllegalArgumentException("segment ids must not decrease, but token " + i + " has "
                        + segments[i] + " after " + segments[i - 1]);
            }
            positions[i] = i > 0 && segments[i] == segments[i - 1] ? positions[i - 1] + 1 : 0;
        }
        return positions;
    }

    /** Greedy decoding: {@code n} argmax tokens after {@code prompt} (a full forward per step). */
    public int[] greedy(int[] prompt, int n, NDManager parent) {
        int[] tokens = java.util.Arrays.copyOf(prompt, prompt.length + n);
        for (int step = 0; step < n; step++) {
            int length = prompt.length + step;
            float[] logits =
                    forward(java.util.Arrays.copyOf(tokens, length), parent).lastLogits();
            int best = 0;
            for (int v = 1; v < logits.length; v++) {
                if (logits[v] > logits[best]) {
                    best = v;
                }
            }
            tokens[length] = best;
        }
        return java.util.Arrays.copyOfRange(tokens, prompt.length, tokens.length);
    }
}
