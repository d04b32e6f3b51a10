package dev.tanrenai.models.tiny;

import dev.tanrenai.datasets.provenance.Sha256;
import dev.tanrenai.models.gguf.GgmlType;
import dev.tanrenai.models.gguf.GgufWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Writes a seeded random llama/qwen2 GGUF model that llama.cpp b4916 loads and runs: all
 * hyper-parameter keys, a {@link TinyVocab} SentencePiece tokenizer with a ChatML chat template,
 * and weights drawn from N(0, 1/fan_in). The same spec always gives the same bytes.
 */
public final class TinyModelMaker {
    /** The standard ChatML template (jinja), as used by Qwen2 instruct models. */
    public static final String CHATML_TEMPLATE =
            "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n'"
                    + " + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}"
                    + "{{ '<|im_start|>assistant\\n' }}{% endif %}";

    private TinyModelMaker() {}

    /**
     * Writes the model described by {@code spec} to {@code out} (atomically).
     *
     * @return the lower-case hex SHA-256 of the written file
     */
    public static String write(TinyModelSpec spec, Path out) throws IOException {
        GgufWriter writer = new GgufWriter();
        TinyVocab vocab = TinyVocab.ofSize(spec.vocabSize());
        putMetadata(writer, spec, vocab);
        addTensors(writer, spec, vocab);
        writer.write(out);
        return Sha256.ofFile(out);
    }

    private static void putMetadata(GgufWriter w, TinyModelSpec spec, TinyVocab vocab) {
        String arch = spec.architecture().ggufName();
        w.putString("general.architecture", arch);
        w.putString("general.name", "tanrenai-tiny-" + arch);
        w.putUint32("general.file_type", fileType(spec.tensorType()));
        w.putUint64("tanrenai.tiny.seed", spec.seed());
        w.putUint32(arch + ".context_length", spec.contextLength());
        w.putUint32(arch + ".embedding_length", spec.embeddingLength());
        w.putUint32(arch + ".block_count", spec.blockCount());
        w.putUint32(arch + ".feed_forward_length", spec.feedForwardLength());
        w.putUint32(arch + ".rope.dimension_count", spec.headDim());
        w.putFloat32(arch + ".rope.freq_base", spec.ropeFreqBase());
        w.putUint32(arch + ".attention.head_count", spec.headCount());
        w.putUint32(arch + ".attention.head_count_kv", spec.headCountKv());
        w.putFloat32(arch + ".attention.layer_norm_rms_epsilon", spec.rmsEps());
        w.putUint32(arch + ".vocab_size", spec.vocabSize());
        w.putString("tokenizer.ggml.model", "llama");
        w.putStringArray("tokenizer.ggml.tokens", vocab.tokens());
        w.putFloat32Array("tokenizer.ggml.scores", vocab.scores());
        w.putInt32Array("tokenizer.ggml.token_type", vocab.tokenTypes());
        w.putUint32("tokenizer.ggml.bos_token_id", TinyVocab.BOS_ID);
        w.putUint32("tokenizer.ggml.eos_token_id", TinyVocab.EOS_ID);
        w.putUint32("tokenizer.ggml.unknown_token_id", TinyVocab.UNK_ID);
        w.putUint32("tokenizer.ggml.eot_token_id", TinyVocab.IM_END_ID);
        w.putBool("tokenizer.ggml.add_bos_token", true);
        w.putBool("tokenizer.ggml.add_eos_token", false);
        // ChatML needs "<|im_start|>user" to stay "user" (no "▁" inserted after a control token)
        w.putBool("tokenizer.ggml.add_space_prefix", false);
        w.putString("tokenizer.chat_template", CHATML_TEMPLATE);
    }

    // llama_ftype values: ALL_F32 = 0, MOSTLY_F16 = 1, MOSTLY_Q8_0 = 7
    private static int fileType(GgmlType type) {
        return switch (type) {
            case F32 -> 0;
            case F16 -> 1;
            case Q8_0 -> 7;
            default -> throw new IllegalArgumentException("no llama file type for " + type);
        };
    }

    private static void addTensors(GgufWriter w, TinyModelSpec spec, TinyVocab vocab) {
        int dim = spec.embeddingLength();
        int kvDim = spec.kvDim();
        int ffn = spec.feedForwardLength();
        int nVocab = spec.vocabSize();
        GgmlType matrixType = spec.tensorType();
        long seed = spec.seed();

        w.addTensor(
                "token_embd.weight",
                shape(dim, nVocab),
                matrixType,
                gaussian(seed, "token_embd.weight", dim * nVocab, 1.0));
        w.addF32("output_norm.weight", shape(dim), ones(dim));
        float[] output = gaussian(seed, "output.weight", dim * nVocab, 1.0 / Math.sqrt(dim)); // [dim, vocab]
        for (int id = 0; id < nVocab; id++) {
            if (vocab.isSpecial(id)) {
                // a random model must not end (or open a turn) by chance: control tokens get logit 0
                Arrays.fill(output, id * dim, (id + 1) * dim, 0f);
            }
        }
        w.addTensor("output.weight", shape(dim, nVocab), matrixType, output);
        for (int b = 0; b < spec.blockCount(); b++) {
            String p = "blk." + b + ".";
            w.addF32(p + "attn_norm.weight", shape(dim), ones(dim));
            addMatrix(w, seed, p + "attn_q.weight", dim, dim, matrixType); // [dim, dim]
            addMatrix(w, seed, p + "attn_k.weight", dim, kvDim, matrixType); // [dim, kvDim]
            addMatrix(w, seed, p + "attn_v.weight", dim, kvDim, matrixType); // [dim, kvDim]
            if (spec.architecture().hasAttentionBiases()) {
                w.addF32(p + "attn_q.bias", shape(dim), gaussian(seed, p + "attn_q.bias", dim, 0.02));
                w.addF32(p + "attn_k.bias", shape(kvDim), gaussian(seed, p + "attn_k.bias", kvDim, 0.02));
                w.addF32(p + "attn_v.bias", shape(kvDim), gaussian(seed, p + "attn_v.bias", kvDim, 0.02));
            }
            addMatrix(w, seed, p + "attn_output.weight", dim, dim, matrixType); // [dim, dim]
            w.addF32(p + "ffn_norm.weight", shape(dim), ones(dim));
            addMatrix(w, seed, p + "ffn_gate.weight", dim, ffn, matrixType); // [dim, ffn]
            addMatrix(w, seed, p + "ffn_down.weight", ffn, dim, matrixType); // [ffn, dim]
            addMatrix(w, seed, p + "ffn_up.weight", dim, ffn, matrixType); // [dim, ffn]
        }
    }

    /** A weight matrix of ggml shape [nIn, nOut] with N(0, 1/nIn) entries. */
    private static void addMatrix(GgufWriter w, long seed, String name, int nIn, int nOut, GgmlType type) {
        w.addTensor(name, shape(nIn, nOut), type, gaussian(seed, name, nIn * nOut, 1.0 / Math.sqrt(nIn)));
    }

    private static long[] shape(long... dims) {
        return dims;
    }

    private static float[] ones(int n) {
        float[] v = new float[n];
        Arrays.fill(v, 1f);
        return v;
    }

    /**
     * Deterministic normal samples (Box-Muller with StrictMath over a SplittableRandom seeded by the
     * model seed and the tensor name), independent of the JDK's nextGaussian implementation.
     */
    static float[] gaussian(long seed, String tensorName, int n, double std) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E37_79B9_7F4A_7C15L + tensorName.hashCode());
        float[] out = new float[n];
        for (int i = 0; i < n; i += 2) {
            double u1 = (random.nextLong() >>> 11) * 0x1.0p-53;
            double u2 = (random.nextLong() >>> 11) * 0x1.0p-53;
            double radius = StrictMath.sqrt(-2.0 * StrictMath.log(1.0 - u1));
            double angle = 2.0 * StrictMath.PI * u2;
            out[i] = (float) (std * radius * StrictMath.cos(angle));
            if (i + 1 < n) {
                out[i + 1] = (float) (std * radius * StrictMath.sin(angle));
            }
        }
        return out;
    }
}
