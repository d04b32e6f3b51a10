package dev.tanrenai.decoder.lora;

import dev.tanrenai.models.gguf.GgmlType;
import dev.tanrenai.models.gguf.GgufFile;
import dev.tanrenai.models.gguf.GgufTensorInfo;
import dev.tanrenai.models.gguf.GgufValue;
import dev.tanrenai.models.gguf.GgufWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Folds a LoRA adapter into its base model: a standalone GGUF whose adapted projections are
 * {@code W + (alpha/r)·B·A} (written as F32) and whose other tensors and metadata are copied as they
 * are. Serving it needs no adapter; it is also how the adapter's effect on llama.cpp's embeddings is
 * checked, since java-llama.cpp computes embeddings without loaded adapters.
 */
public final class LoraMerge {
    private LoraMerge() {}

    public static void write(Path baseModel, Path adapter, Path out) throws IOException {
        try (GgufFile base = GgufFile.open(baseModel);
                GgufFile lora = GgufFile.open(adapter)) {
            var md = lora.metadata();
            if (!"lora".equals(md.optionalString("adapter.type").orElse(null))) {
                throw new IllegalArgumentException(adapter + " is not a LoRA adapter (adapter.type=lora)");
            }
            String baseArch = base.metadata().getString("general.architecture");
            if (!baseArch.equals(md.getString("general.architecture"))) {
                throw new IllegalArgumentException(adapter + " is for " + md.getString("general.architecture")
                        + ", the base model is " + baseArch);
            }
            float alpha = md.optionalFloat("adapter.lora.alpha").orElse(0f);
            GgufWriter w = new GgufWriter(base.alignment());
            for (Map.Entry<String, GgufValue> e : base.metadata().asMap().entrySet()) {
                if (!e.getKey().equals("general.alignment")) {
                    w.put(e.getKey(), e.getValue());
                }
            }
            for (GgufTensorInfo t : base.tensors()) {
                if (lora.findTensor(t.name() + ".lora_a").isEmpty()) {
                    w.addTensor(t.name(), t.shape(), t.type(), base.rawData(t));
                    continue;
                }
                GgufTensorInfo aInfo = lora.tensor(t.name() + ".lora_a"); // ggml [nIn, r]
                int nIn = Math.toIntExact(t.dim(0));
                int nOut = Math.toIntExact(t.dim(1));
                int r = Math.toIntExact(aInfo.dim(1));
                if (aInfo.dim(0) != nIn || lora.tensor(t.name() + ".lora_b").dim(1) != nOut) {
                    throw new IllegalArgumentException(adapter + ": the factors of " + t.name()
                            + " do not fit its shape [" + nIn + ", " + nOut + "]");
                }
                float[] weight = base.dequantize(t.name()); // [nOut, nIn]
                float[] a = lora.dequantize(t.name() + ".lora_a"); // [r, nIn]
                float[] b = lora.dequantize(t.name() + ".lora_b"); // [nOut, r]
                float scale = alpha > 0 ? alpha / r : 1f;
                for (int o = 0; o < nOut; o++) {
                    for (int k = 0; k < r; k++) {
                        float bk = scale * b[o * r + k];
                        if (bk == 0) {
                            continue;
                        }
                        for (int i = 0; i < nIn; i++) {
                            weight[o * nIn + i] += bk * a[k * nIn + i];
                        }
                    }
                }
                w.addTensor(t.name(), t.shape(), GgmlType.F32, weight);
            }
            w.write(out);
        }
    }
}
