package dev.tanrenai.decoder;

import ai.djl.ndarray.NDArray;
import dev.tanrenai.decoder.lora.LoraTarget;
import dev.tanrenai.decoder.lora.LoraWeights;
import java.util.List;

/**
 * The TorchScript source of a {@link ScriptedForward}: the DJL forward of {@link DecoderModel}
 * operation for operation (same operations, same order, same float32 constants), unrolled over the
 * blocks, with each weight read from the list argument {@code w} at the index this writer assigns. It
 * runs on a batch of rows, {@code x0} of shape {@code [rows, seq, dim]}, every row under the same
 * {@code [seq, seq]} mask and rotary angles ({@code [seq, 1, ropeDim/2]}): one packed sequence is one row
 * under a block-diagonal mask, several right-padded windows are several rows under the causal mask.
 */
final class ScriptedForwardSource {
    private ScriptedForwardSource() {}

    static final String CLASS = "ScoringForward";

    /** {@code c10::ScalarType::Float}. */
    private static final int TORCH_FLOAT32 = 6;

    /**
     * Writes the module's source and appends, in order, every tensor its {@code w} list holds to
     * {@code tensors}.
     */
    static String write(DecoderWeights weights, LoraWeights lora, Bf16Weights low, List<NDArray> tensors) {
        DecoderConfig c = weights.config();
        StringBuilder s = new StringBuilder();
        String self = "self: __torch__." + CLASS;
        s.append("class ")
                .append(CLASS)
                .append("(Module):\n")
                .append("  __parameters__ = []\n")
                .append("  __buffers__ = []\n")
                .append("  training : bool\n");
        // forward: required of a module; the scoring method is what is called
        s.append("  def forward(").append(self).append(", x: Tensor) -> Tensor:\n    return x\n");
        s.append("  def rms(")
                .append(self)
                .append(", x: Tensor, w: Tensor) -> Tensor:\n")
                .append(
                        "    return torch.mul(torch.div(x, torch.sqrt(torch.add(torch.mean(torch.square(x), [-1], True), ")
                .append(num(c.rmsEps()))
                .append("))), w)\n");
        writeRope(s, self, c);
        writeAttend(s, self, c);
        s.append("  def score(")
                .append(self)
                .append(
                        ", x0: Tensor, cos: Tensor, sin: Tensor, mask: Tensor, rows: Tensor, w: List[Tensor]) -> Tensor:\n")
                .append("    x = x0\n")
                .append("    batch = torch.size(x, 0)\n")
                .append("    seq = torch.size(x, 1)\n");
        int heads = c.headCount();
        int kv = c.headCountKv();
        int hd = c.headDim();
        for (int i = 0; i < weights.blocks().size(); i++) {
            DecoderWeights.Block b = weights.blocks().get(i);
            s.append("    # block ").append(i).append('\n');
            s.append("    h = self.rms(x, ").append(ref(b.attnNorm(), tensors)).append(")\n");
            lowered(s, low, "h");
            s.append("    q = ")
                    .append(project("h", low, b.wqT(), i, LoraTarget.Q, lora, tensors))
                    .append('\n');
            s.append("    k = ")
                    .append(project("h", low, b.wkT(), i, LoraTarget.K, lora, tensors))
                    .append('\n');
            s.append("    v = ")
                    .append(project("h", low, b.wvT(), i, LoraTarget.V, lora, tensors))
                    .append('\n');
            if (b.bq() != null) {
                s.append("    q = torch.add(q, ").append(ref(b.bq(), tensors)).append(")\n");
                s.append("    k = torch.add(k, ").append(ref(b.bk(), tensors)).append(")\n");
                s.append("    v = torch.add(v, ").append(ref(b.bv(), tensors)).append(")\n");
            }
            s.append("    q = torch.permute(self.rope(torch.reshape(q, [batch, seq, ")
                    .append(heads)
                    .append(", ")
                    .append(hd)
                    .append("]), cos, sin), [0, 2, 1, 3])\n");
            s.append("    k = torch.permute(self.rope(torch.reshape(k, [batch, seq, ")
                    .append(kv)
                    .append(", ")
                    .append(hd)
                    .append("]), cos, sin), [0, 2, 1, 3])\n");
            s.append("    v = torch.permute(torch.reshape(v, [batch, seq, ")
                    .append(kv)
                    .append(", ")
                    .append(hd)
                    .append("]), [0, 2, 1, 3])\n");
            if (kv != heads) {
                s.append("    k = torch.repeat_interleave(k, ")
                        .append(heads / kv)
                        .append(", 1)\n");
                s.append("    v = torch.repeat_interleave(v, ")
                        .append(heads / kv)
                        .append(", 1)\n");
            }
            s.append("    att = self.attend(q, k, v, mask)\n");
            s.append("    merged = torch.reshape(torch.permute(att, [0, 2, 1, 3]), [batch, seq, ")
                    .append(heads * hd)
                    .append("])\n");
            lowered(s, low, "merged");
            s.append("    x = torch.add(x, ")
                    .append(project("merged", low, b.woT(), i, LoraTarget.O, lora, tensors))
                    .append(")\n");
            s.append("    f = self.rms(x, ").append(ref(b.ffnNorm(), tensors)).append(")\n");
            lowered(s, low, "f");
            s.append("    gate = ")
                    .append(project("f", low, b.wGateT(), i, LoraTarget.GATE, lora, tensors))
                    .append('\n');
            s.append("    up = ")
                    .append(project("f", low, b.wUpT(), i, LoraTarget.UP, lora, tensors))
                    .append('\n');
            s.append("    swiglu = torch.mul(torch.mul(gate, torch.sigmoid(gate)), up)\n");
            lowered(s, low, "swiglu");
            s.append("    x = torch.add(x, ")
                    .append(project("swiglu", low, b.wDownT(), i, LoraTarget.DOWN, lora, tensors))
                    .append(")\n");
        }
        s.append("    hidden = self.rms(x, ")
                .append(ref(weights.outputNorm(), tensors))
                .append(")\n");
        s.append("    flat = torch.reshape(hidden, [batch * seq, ")
                .append(c.dim())
                .append("])\n");
        s.append("    logits = torch.matmul(torch.index_select(flat, 0, rows), ")
                .append(ref(weights.outputT(), tensors))
                .append(")\n");
        s.append("    return torch.log_softmax(logits, -1)\n");
        return s.toString();
    }

    /**
     * Attention by chunks of queries: queries {@code [start, end)} meet only keys {@code [0, end)}, since
     * the mask hides every later key from them (causal, or block-diagonal causal when packed). The scores
     * above the diagonal, which the mask sets to -inf and the softmax to exactly 0, are neither computed
     * nor passed over (for 512 tokens in chunks of 32, 17/32 of the scores are), and a chunk's scores,
     * {@code [rows, heads, chunk, end]}, stay within about {@value #CHUNK_SCORES} floats (2 MiB, 16 to 128
     * queries), so the five passes over them (product, scale, mask, softmax, product with the values) run
     * in cache instead of memory. Each value is the DJL forward's operation on the same inputs; only the
     * zero terms of the softmax's sum and of the product with the values are left out, which can move the
     * last bit. On stories260K (8 heads of 8) this made a pass of 4 × 512 tokens 2.5–4× faster.
     */
    private static void writeAttend(StringBuilder s, String self, DecoderConfig c) {
        s.append("  def attend(")
                .append(self)
                .append(", q: Tensor, k: Tensor, v: Tensor, mask: Tensor) -> Tensor:\n")
                .append("    seq = torch.size(q, 2)\n")
                .append("    chunk = max(16, min(128, torch.floordiv(")
                .append(CHUNK_SCORES)
                .append(", torch.mul(torch.mul(torch.size(q, 0), torch.size(q, 1)), seq))))\n")
                .append("    outs = annotate(List[Tensor], [])\n")
                .append("    for c in range(torch.floordiv(torch.add(seq, torch.sub(chunk, 1)), chunk)):\n")
                .append("      start = torch.mul(c, chunk)\n")
                .append("      end = min(torch.add(start, chunk), seq)\n")
                .append("      qc = torch.slice(q, 2, start, end)\n")
                .append("      kc = torch.slice(k, 2, 0, end)\n")
                .append("      vc = torch.slice(v, 2, 0, end)\n")
                .append("      mc = torch.slice(torch.slice(mask, 0, start, end), 1, 0, end)\n")
                .append("      scores = torch.add(torch.mul(torch.matmul(qc, torch.permute(kc, [0, 1, 3, 2])), ")
                .append(num((float) (1 / StrictMath.sqrt(c.headDim()))))
                .append("), mc)\n")
                .append("      _0 = torch.append(outs, torch.matmul(torch.softmax(scores, -1), vc))\n")
                .append("    return torch.cat(outs, 2)\n");
    }

    /** Scores per attention chunk the chunk size aims at (see {@link #writeAttend}). */
    static final int CHUNK_SCORES = 1 << 19;

    private static void writeRope(StringBuilder s, String self, DecoderConfig c) {
        int rd = c.ropeDim();
        int half = rd / 2;
        int hd = c.headDim();
        s.append("  def rope(")
                .append(self)
                .append(", x: Tensor, cos: Tensor, sin: Tensor) -> Tensor:\n")
                .append("    batch = torch.size(x, 0)\n")
                .append("    seq = torch.size(x, 1)\n")
                .append("    heads = torch.size(x, 2)\n")
                .append("    r = torch.slice(x, 3, 0, ")
                .append(rd)
                .append(")\n");
        switch (c.ropeStyle()) {
            case NORM ->
                s.append("    pairs = torch.reshape(r, [batch, seq, heads, ")
                        .append(half)
                        .append(", 2])\n")
                        .append("    x0 = torch.select(pairs, 4, 0)\n")
                        .append("    x1 = torch.select(pairs, 4, 1)\n");
            case NEOX ->
                s.append("    x0 = torch.slice(r, 3, 0, ")
                        .append(half)
                        .append(")\n")
                        .append("    x1 = torch.slice(r, 3, ")
                        .append(half)
                        .append(", ")
                        .append(rd)
                        .append(")\n");
        }
        s.append("    r0 = torch.sub(torch.mul(x0, cos), torch.mul(x1, sin))\n")
                .append("    r1 = torch.add(torch.mul(x0, sin), torch.mul(x1, cos))\n");
        switch (c.ropeStyle()) {
            case NORM ->
                s.append("    out = torch.reshape(torch.stack([r0, r1], -1), [batch, seq, heads, ")
                        .append(rd)
                        .append("])\n");
            case NEOX -> s.append("    out = torch.cat([r0, r1], -1)\n");
        }
        if (rd < hd) {
            s.append("    out = torch.cat([out, torch.slice(x, 3, ")
                    .append(rd)
                    .append(", ")
                    .append(hd)
                    .append(")], -1)\n");
        }
        s.append("    return out\n");
    }

    /** Adds {@code <name>_low = bf16(name)} when the products run in bf16. */
    private static void lowered(StringBuilder s, Bf16Weights low, String name) {
        if (low != null) {
            s.append("    ")
                    .append(name)
                    .append("_low = torch.to(")
                    .append(name)
                    .append(", ")
                    .append(Bf16.TORCH_BFLOAT16)
                    .append(")\n");
        }
    }

    /** {@code x·Wᵀ} (in bf16 from {@code x_low} when {@code low} is given) plus the adapter's delta from float32 {@code x}. */
    private static String project(
            String x,
            Bf16Weights low,
            NDArray wT,
            int block,
            LoraTarget target,
            LoraWeights lora,
            List<NDArray> tensors) {
        String y = low == null
                ? "torch.matmul(" + x + ", " + ref(wT, tensors) + ")"
                : "torch.to(torch.matmul(" + x + "_low, " + ref(low.of(wT), tensors) + "), " + TORCH_FLOAT32 + ")";
        LoraWeights.Pair p = lora == null ? null : lora.pair(block, target);
        if (p == null) {
            return y;
        }
        String delta = "torch.mul(torch.matmul(torch.matmul(" + x + ", torch.t(" + ref(p.a(), tensors) + ")), torch.t("
                + ref(p.b(), tensors) + ")), " + num(lora.config().scale()) + ")";
        return "torch.add(" + y + ", " + delta + ")";
    }

    /** {@code w[i]}, appending {@code t} as element {@code i}. */
    private static String ref(NDArray t, List<NDArray> tensors) {
        tensors.add(t);
        return "w[" + (tensors.size() - 1) + "]";
    }

    /** The float32 value {@code f} as a literal whose double is exactly {@code f}. */
    static String num(float f) {
        if (!Float.isFinite(f)) {
            throw new IllegalArgumentException("not a finite constant: " + f);
        }
        return Double.toString(f);
    }
}
