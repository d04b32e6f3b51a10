package dev.tanrenai.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tanrenai.models.gguf.GgufFile;
import dev.tanrenai.models.gguf.GgufTensorInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The frozen base weights of a GGUF decoder as NDArrays (dequantized to float32).
 *
 * <p>A GGUF matrix with ggml shape {@code [n_in, n_out]} is {@code n_out} rows of {@code n_in}
 * values: the row-major {@code [n_out, n_in]} weight of {@code y = x · Wᵀ}. Linear weights are
 * kept transposed ({@code [n_in, n_out]}) so a projection is one {@code matMul}.
 */
public final class DecoderWeights {

    /** One transformer block's weights. Shapes in comments are NDArray shapes. */
    public record Block(
            NDArray attnNorm, // [dim]
            NDArray wqT, // [dim, heads*headDim]
            NDArray wkT, // [dim, kvHeads*headDim]
            NDArray wvT, // [dim, kvHeads*headDim]
            NDArray woT, // [heads*headDim, dim]
            NDArray bq, // [heads*headDim] or null
            NDArray bk, // [kvHeads*headDim] or null
            NDArray bv, // [kvHeads*headDim] or null
            NDArray ffnNorm, // [dim]
            NDArray wGateT, // [dim, ffn]
            NDArray wUpT, // [dim, ffn]
            NDArray wDownT) {} // [ffn, dim]

    private final DecoderConfig config;
    private final float[] tokenEmbedding; // [vocab * dim], row v = embedding of token v
    private final List<Block> blocks;
    private final NDArray outputNorm; // [dim]
    private final NDArray outputT; // [dim, vocab]

    private DecoderWeights(
            DecoderConfig config, float[] tokenEmbedding, List<Block> blocks, NDArray outputNorm, NDArray outputT) {
        this.config = config;
        this.tokenEmbedding = tokenEmbedding;
        this.blocks = List.copyOf(blocks);
        this.outputNorm = outputNorm;
        this.outputT = outputT;
    }

    /** Reads every tensor of {@code gguf} into {@code manager} (which owns and frees them). */
    public static DecoderWeights load(GgufFile gguf, NDManager manager) throws IOException {
        GgufTensorInfo embd = gguf.tensor("token_embd.weight");
        int vocab = Math.toIntExact(embd.dim(1));
        DecoderConfig config = DecoderConfig.from(gguf.metadata(), vocab);
        float[] embedding = gguf.dequantize("token_embd.weight"); // [vocab, dim]
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < config.blockCount(); i++) {
            String b = "blk." + i + ".";
            blocks.add(new Block(
                    vector(gguf, manager, b + "attn_norm.weight"),
                    transposed(gguf, manager, b + "attn_q.weight"),
                    transposed(gguf, manager, b + "attn_k.weight"),
                    transposed(gguf, manager, b + "attn_v.weight"),
                    transposed(gguf, manager, b + "attn_output.weight"),
                    config.attentionBiases() ? vector(gguf, manager, b + "attn_q.bias") : null,
                    config.attentionBiases() ? vector(gguf, manager, b + "attn_k.bias") : null,
                    config.attentionBiases() ? vector(gguf, manager, b + "attn_v.bias") : null,
                    vector(gguf, manager, b + "ffn_norm.weight"),
                    transposed(gguf, manager, b + "ffn_gate.weight"),
                    transposed(gguf, manager, b + "ffn_up.weight"),
                    transposed(gguf, manager, b + "ffn_down.weight")));
        }
        NDArray outputT = gguf.findTensor("output.weight").isPresent()
                ? transposed(gguf, manager, "output.weight")
                : Tensors.of(manager, embedding, new Shape(vocab, config.dim())).transpose(); // tied embeddings
        return new DecoderWeights(config, embedding, blocks, vector(gguf, manager, "output_norm.weight"), outputT);
    }

    private static NDArray vector(GgufFile gguf, NDManager manager, String name) throws IOException {
        return Tensors.of(manager, gguf.dequantize(name));
    }

    private static NDArray transposed(GgufFile gguf, NDManager manager, String name) throws IOException {
        GgufTensorInfo t = gguf.tensor(name);
        if (t.rank() != 2) {
            throw new UnsupportedModelException(name + " has " + t.rank() + " dimensions, expected a matrix");
        }
        long nIn = t.dim(0);
        long nOut = t.dim(1);
        return Tensors.of(manager, gguf.dequantize(name), new Shape(nOut, nIn)).transpose(); // [nIn, nOut]
    }

    public DecoderConfig config() {
        return config;
    }

    public List<Block> blocks() {
        return blocks;
    }

    public NDArray outputNorm() {
        return outputNorm;
    }

    public NDArray outputT() {
        return outputT;
    }

    /** The embeddings of {@code tokens} as a {@code [tokens, dim]} array in {@code manager}. */
    public NDArray embed(int[] tokens, NDManager manager) {
        int dim = config.dim();
        float[] rows = new float[tokens.length * dim];
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= config.vocabSize()) {
                throw new IllegalArgumentException("token id " + tokens[i] + " at position " + i
                        + " is outside the vocabulary of " + config.vocabSize());
            }
            System.arraycopy(tokenEmbedding, tokens[i] * dim, rows, i * dim, dim);
        }
        return Tensors.of(manager, rows, new Shape(tokens.length, dim));
    }
}
