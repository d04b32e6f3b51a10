package dev.tanrenai.train.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

/**
 * A llama/qwen2 decoder on DJL NDArrays computing what llama.cpp computes for the same GGUF:
 * RMSNorm, rotary attention with grouped-query heads and a causal mask, SwiGLU feed-forward, final
 * norm and output projection.
 */
public final class DecoderModel {

    /** The outputs of one forward pass, copied out of the native arrays. */
    public record Output(float[] lastHidden, float[] lastLogits) {}

    private final DecoderWeights weights;
    private final DecoderConfig config;

    public DecoderModel(DecoderWeights weights) {
        this.weights = weights;
        this.config = weights.config();
    }

    public DecoderConfig config() {
        return config;
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

    /** Final-norm hidden states of every position, {@code [seq, dim]}, allocated in {@code m}. */
    public NDArray hiddenStates(int[] tokens, NDManager m) {
        int seq = tokens.length;
        NDArray x = weights.embed(tokens, m); // [seq, dim]
        Rope rope = new Rope(config, seq, m);
        NDArray mask = causalMask(seq, m); // [seq, seq]
        for (DecoderWeights.Block b : weights.blocks()) {
            NDArray h = rmsNorm(x, b.attnNorm());
            x = x.add(attention(h, b, rope, mask)); // [seq, dim]
            NDArray f = rmsNorm(x, b.ffnNorm());
            NDArray gate = f.matMul(b.wGateT()); // [seq, ffn]
            NDArray up = f.matMul(b.wUpT()); // [seq, ffn]
            x = x.add(gate.mul(Activation.sigmoid(gate)).mul(up).matMul(b.wDownT())); // [seq, dim]
        }
        return rmsNorm(x, weights.outputNorm());
    }

    private NDArray attention(NDArray h, DecoderWeights.Block b, Rope rope, NDArray mask) {
        int seq = Math.toIntExact(h.getShape().get(0));
        int heads = config.headCount();
        int kvHeads = config.headCountKv();
        int hd = config.headDim();
        NDArray q = h.matMul(b.wqT()); // [seq, heads*hd]
        NDArray k = h.matMul(b.wkT()); // [seq, kvHeads*hd]
        NDArray v = h.matMul(b.wvT()); // [seq, kvHeads*hd]
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
        NDArray scores =
                q.matMul(k.transpose(0, 2, 1)).div((float) Math.sqrt(hd)).add(mask); // [heads, seq, seq]
        NDArray out = scores.softmax(-1).matMul(v); // [heads, seq, hd]
        return out.transpose(1, 0, 2).reshape(seq, heads * hd).matMul(b.woT()); // [seq, dim]
    }

    private NDArray rmsNorm(NDArray x, NDArray weight) {
        NDArray meanSquare = x.square().mean(new int[] {-1}, true); // [seq, 1]
        return x.div(meanSquare.add(config.rmsEps()).sqrt()).mul(weight);
    }

    private static NDArray causalMask(int seq, NDManager m) {
        float[] mask = new float[seq * seq];
        for (int i = 0; i < seq; i++) {
            for (int j = i + 1; j < seq; j++) {
                mask[i * seq + j] = Float.NEGATIVE_INFINITY;
            }
        }
        return m.create(mask, new Shape(seq, seq));
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
