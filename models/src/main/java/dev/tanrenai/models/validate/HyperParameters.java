package dev.tanrenai.models.validate;

import dev.tanrenai.models.gguf.GgufArray;
import dev.tanrenai.models.gguf.GgufValueType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The hyper-parameters of a llama or qwen2 GGUF, read and checked against what llama.cpp b4916
 * (bundled by java-llama.cpp 4.2.0) asserts on or mis-reads while loading and running the model.
 * Each check names the llama.cpp behaviour it prevents.
 *
 * @param architecture {@code llama} or {@code qwen2}
 * @param embedding n_embd
 * @param layers n_layer (block_count)
 * @param feedForward n_ff per layer
 * @param heads n_head per layer
 * @param headsKv n_head_kv per layer
 * @param headDim n_embd_head_k (= n_embd_head_v = n_rot)
 * @param vocab number of tokens
 */
record HyperParameters(
        String architecture,
        long embedding,
        int layers,
        long[] feedForward,
        long[] heads,
        long[] headsKv,
        long headDim,
        long vocab) {

    /** Architectures whose loader and graph asserts are checked here. */
    static final Set<String> ARCHITECTURES = Set.of("llama", "qwen2");
    /** llama.cpp's LLAMA_MAX_LAYERS: more layers overflow its fixed per-layer arrays. */
    static final int MAX_LAYERS = 512;
    /** llama_rope_scaling_type names; any other string trips GGML_ASSERT(... != UNSPECIFIED). */
    static final Set<String> ROPE_SCALING_TYPES = Set.of("none", "linear", "yarn", "longrope");
    /** Tokenizer models llama.cpp b4916 knows (others are refused by its loader). */
    static final Set<String> TOKENIZER_MODELS = Set.of("llama", "gpt2", "bert", "t5", "rwkv");

    private static final long U32 = 0xFFFF_FFFFL;

    static HyperParameters read(MetadataReader m) {
        String arch = m.requiredString("general.architecture");
        if (!ARCHITECTURES.contains(arch)) {
            throw m.fail(
                    "general.architecture",
                    arch,
                    "only " + ARCHITECTURES + " models are validated against llama.cpp's asserts; another"
                            + " architecture could abort the process");
        }
        String p = arch + ".";
        m.requiredInt(p + "context_length", 1, Integer.MAX_VALUE);
        long embd = m.requiredInt(p + "embedding_length", 1, Integer.MAX_VALUE);
        // 0 layers: llama_hparams::n_head(0) hits GGML_ABORT; beyond 512 the per-layer arrays overflow
        int layers = (int) m.requiredInt(p + "block_count", 1, MAX_LAYERS);
        long experts = m.optionalInt(p + "expert_count", 0, 0, 0); // mixture-of-experts layouts are not checked
        m.optionalInt(p + "expert_used_count", experts, 0, 0); // GGML_ASSERT(n_expert_used == 0) when no experts
        long[] ff = m.perLayer(p + "feed_forward_length", layers, null, 1, Integer.MAX_VALUE);
        long[] heads = m.perLayer(p + "attention.head_count", layers, null, 1, Integer.MAX_VALUE);
        long[] headsKv = m.has(p + "attention.head_count_kv")
                ? m.perLayer(p + "attention.head_count_kv", layers, null, 1, Integer.MAX_VALUE)
                : heads.clone(); // llama.cpp: n_head_kv defaults to n_head
        for (int l = 0; l < layers; l++) {
            if (heads[l] % headsKv[l] != 0) { // grouped-query attention broadcasts K/V over whole groups
                throw m.fail(
                        p + "attention.head_count_kv",
                        headsKv[l],
                        "layer " + l + " has head_count " + heads[l] + ", not a multiple of head_count_kv");
            }
        }
        long headDim = headDim(m, p, embd, heads[0]);
        // build_llama / build_qwen2: GGML_ASSERT(n_embd_head == n_rot)
        long rot = m.optionalInt(p + "rope.dimension_count", headDim, 0, U32);
        if (rot != headDim) {
            throw m.fail(
                    p + "rope.dimension_count",
                    rot,
                    "must equal the head dimension " + headDim + " (llama.cpp asserts n_rot == n_embd_head)");
        }
        // RMSNorm: ggml asserts eps >= 0 (NaN fails it); 0 divides by zero on a zero row; >= 1 swamps the norm
        m.requiredFloat(p + "attention.layer_norm_rms_epsilon", 0, 1);
        ropeKeys(m, p);
        long vocab = vocabulary(m, p);
        return new HyperParameters(arch, embd, layers, ff, heads, headsKv, headDim, vocab);
    }

    private static long headDim(MetadataReader m, String p, long embd, long heads) {
        long fromHeads = embd / heads;
        long k = m.optionalInt(p + "attention.key_length", fromHeads, 1, U32);
        long v = m.optionalInt(p + "attention.value_length", fromHeads, 1, U32);
        if (k != v) { // build_llama: GGML_ASSERT(n_embd_head == hparams.n_embd_head_k) with n_embd_head = _v
            throw m.fail(p + "attention.value_length", v, "must equal attention.key_length " + k);
        }
        if (!m.has(p + "attention.key_length") && embd % heads != 0) {
            throw m.fail(
                    p + "attention.head_count",
                    heads,
                    "embedding_length " + embd + " is not divisible by it (the per-head reshape asserts)");
        }
        if (k % 2 != 0) {
            throw m.fail(p + "attention.key_length", k, "the head dimension must be even: RoPE rotates pairs");
        }
        return k;
    }

    private static void ropeKeys(MetadataReader m, String p) {
        m.optionalFloat(p + "rope.freq_base", 0, Float.MAX_VALUE);
        m.optionalString(p + "rope.scaling.type").ifPresent(type -> {
            if (!ROPE_SCALING_TYPES.contains(type)) { // llama.cpp: GGML_ASSERT(rope_scaling_type != UNSPECIFIED)
                throw m.fail(p + "rope.scaling.type", type, "must be one of " + ROPE_SCALING_TYPES);
            }
        });
        for (String key : List.of(p + "rope.scaling.factor", p + "rope.scale_linear")) {
            m.optionalFloat(key, -Double.MAX_VALUE, Float.MAX_VALUE).ifPresent(f -> {
                if (f < 0) { // 0 means "no scaling"; llama.cpp uses 1/factor as the frequency scale
                    throw m.fail(key, f, "must be 0 (none) or positive");
                }
            });
        }
        m.optionalFloat(p + "rope.scaling.attn_factor", 0, Float.MAX_VALUE);
        m.optionalInt(p + "rope.scaling.original_context_length", 0, 0, U32);
    }

    private static long vocabulary(MetadataReader m, String p) {
        String model = m.requiredString("tokenizer.ggml.model");
        if (!TOKENIZER_MODELS.contains(model)) {
            throw m.fail("tokenizer.ggml.model", model, "must be one of " + TOKENIZER_MODELS);
        }
        GgufArray tokens = m.optionalArray("tokenizer.ggml.tokens")
                .orElseThrow(() -> m.fail("tokenizer.ggml.tokens", "missing", "the vocabulary is required"));
        if (tokens.elementType() != GgufValueType.STRING || tokens.size() == 0) {
            throw m.fail(
                    "tokenizer.ggml.tokens",
                    "array of " + tokens.size() + " " + tokens.elementType(),
                    "must be a non-empty array of strings");
        }
        int n = tokens.size();
        Map<Object, Integer> seen = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            Integer earlier = seen.putIfAbsent(tokens.elements().get(i), i);
            if (earlier != null) { // llama-vocab: GGML_ASSERT(id_to_token.size() == token_to_id.size())
                throw m.fail(
                        "tokenizer.ggml.tokens[" + i + "]",
                        tokens.elements().get(i),
                        "duplicates token " + earlier + " (llama.cpp asserts every token is unique)");
            }
        }
        long declared = m.optionalInt(p + "vocab_size", n, 0, U32);
        if (declared != n) {
            throw m.fail(p + "vocab_size", declared, "tokenizer.ggml.tokens has " + n + " tokens");
        }
        // llama-vocab reads scores[i] and token_type[i] for every token without checking their length
        m.optionalArray("tokenizer.ggml.scores").ifPresent(scores -> {
            if (scores.size() != n || scores.elementType() != GgufValueType.FLOAT32) {
                throw m.fail(
                        "tokenizer.ggml.scores",
                        "array of " + scores.size() + " " + scores.elementType(),
                        "must be " + n + " FLOAT32 values, one per token");
            }
            float[] values = scores.asFloats();
            for (int i = 0; i < n; i++) {
                if (!Float.isFinite(values[i])) {
                    throw m.fail("tokenizer.ggml.scores[" + i + "]", values[i], "must be finite");
                }
            }
        });
        m.optionalArray("tokenizer.ggml.token_type").ifPresent(types -> {
            if (types.size() != n || types.elementType() != GgufValueType.INT32) {
                throw m.fail(
                        "tokenizer.ggml.token_type",
                        "array of " + types.size() + " " + types.elementType(),
                        "must be " + n + " INT32 values, one per token");
            }
        });
        return n;
    }
}
