package dev.tanrenai.models.validate;

import dev.tanrenai.models.gguf.GgufFile;
import dev.tanrenai.models.gguf.GgufTensorInfo;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tensors llama.cpp b4916 creates for a llama or qwen2 model ({@code llama_model::load_tensors}),
 * with their ggml shapes derived from the hyper-parameters. A file must hold every required tensor
 * in exactly that shape, and nothing else.
 */
final class TensorLayout {
    private final Map<String, long[]> required = new LinkedHashMap<>();
    private final Map<String, long[]> optional = new LinkedHashMap<>();

    private TensorLayout() {}

    static TensorLayout of(HyperParameters h) {
        TensorLayout t = new TensorLayout();
        long embd = h.embedding();
        t.required.put("token_embd.weight", shape(embd, h.vocab()));
        t.required.put("output_norm.weight", shape(embd));
        t.optional.put("output.weight", shape(embd, h.vocab())); // absent: tied to token_embd
        t.optional.put("rope_freqs.weight", shape(h.headDim() / 2));
        boolean qwen2 = h.architecture().equals("qwen2");
        for (int l = 0; l < h.layers(); l++) {
            String p = "blk." + l + ".";
            long q = h.headDim() * h.heads()[l];
            long kv = h.headDim() * h.headsKv()[l];
            long ff = h.feedForward()[l];
            t.required.put(p + "attn_norm.weight", shape(embd));
            t.required.put(p + "attn_q.weight", shape(embd, q));
            t.required.put(p + "attn_k.weight", shape(embd, kv));
            t.required.put(p + "attn_v.weight", shape(embd, kv));
            t.required.put(p + "attn_output.weight", shape(q, embd));
            Map<String, long[]> biases = qwen2 ? t.required : t.optional;
            biases.put(p + "attn_q.bias", shape(q));
            biases.put(p + "attn_k.bias", shape(kv));
            biases.put(p + "attn_v.bias", shape(kv));
            if (!qwen2) {
                t.optional.put(p + "attn_output.bias", shape(embd));
                t.optional.put(p + "ffn_gate.bias", shape(ff));
                t.optional.put(p + "ffn_down.bias", shape(embd));
                t.optional.put(p + "ffn_up.bias", shape(ff));
                t.optional.put(p + "rope_freqs.weight", shape(h.headDim() / 2));
            }
            t.required.put(p + "ffn_norm.weight", shape(embd));
            t.required.put(p + "ffn_gate.weight", shape(embd, ff));
            t.required.put(p + "ffn_down.weight", shape(ff, embd));
            t.required.put(p + "ffn_up.weight", shape(embd, ff));
        }
        return t;
    }

    /** Fails on a missing, misshapen or unexpected tensor. */
    void check(GgufFile gguf, MetadataReader m) {
        for (Map.Entry<String, long[]> e : required.entrySet()) {
            GgufTensorInfo t = gguf.findTensor(e.getKey())
                    .orElseThrow(() -> m.fail(
                            e.getKey(),
                            "missing",
                            "llama.cpp needs this tensor of shape " + Arrays.toString(e.getValue())));
            requireShape(t, e.getValue(), m);
        }
        for (GgufTensorInfo t : gguf.tensors()) {
            long[] expected = required.containsKey(t.name()) ? required.get(t.name()) : optional.get(t.name());
            if (expected == null) {
                throw m.fail(
                        t.name(),
                        Arrays.toString(t.shape()),
                        "unexpected tensor for this architecture and block_count (llama.cpp refuses extra tensors)");
            }
            requireShape(t, expected, m);
        }
    }

    private static void requireShape(GgufTensorInfo t, long[] expected, MetadataReader m) {
        long[] actual = t.shape();
        int rank = actual.length;
        while (rank > expected.length && actual[rank - 1] == 1) {
            rank--; // ggml ignores trailing dimensions of 1
        }
        if (!Arrays.equals(Arrays.copyOf(actual, rank), expected)) {
            throw m.fail(
                    t.name(),
                    "shape " + Arrays.toString(actual),
                    "expected " + Arrays.toString(expected) + " from the hyper-parameters");
        }
    }

    private static long[] shape(long... dims) {
        return dims;
    }
}
