package dev.tanrenai.train.lora;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tanrenai.decoder.DecoderConfig;
import dev.tanrenai.decoder.lora.LoraTarget;
import dev.tanrenai.decoder.lora.LoraWeights;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;

/**
 * Writes an adapter as a Hugging Face PEFT directory: {@code adapter_config.json} and
 * {@code adapter_model.safetensors} with PEFT's tensor names
 * ({@code base_model.model.model.layers.N.self_attn.q_proj.lora_A.weight}). For llama the B factors
 * of Q and K are put back into Hugging Face's row order ({@link QkPermutation}), so the adapter
 * applies to the original checkpoint the GGUF was converted from.
 */
public final class PeftExport {

    public static final String CONFIG_FILE = "adapter_config.json";
    public static final String WEIGHTS_FILE = "adapter_model.safetensors";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PeftExport() {}

    /**
     * @param baseModelName recorded as {@code base_model_name_or_path}
     * @throws IllegalArgumentException for an architecture whose Hugging Face layout is unknown
     */
    public static void write(LoraWeights lora, DecoderConfig model, Path dir, String baseModelName) throws IOException {
        boolean permuted =
                switch (model.architecture()) {
                    case "llama" -> true;
                    case "qwen2" -> false;
                    default ->
                        throw new IllegalArgumentException("no PEFT export for architecture " + model.architecture()
                                + " (supported: llama, qwen2)");
                };
        Files.createDirectories(dir);
        SafetensorsWriter tensors = new SafetensorsWriter().putMetadata("format", "pt");
        TreeSet<String> modules = new TreeSet<>();
        for (int block = 0; block < model.blockCount(); block++) {
            for (LoraTarget t : LoraTarget.values()) {
                LoraWeights.Pair p = lora.pair(block, t);
                if (p == null) {
                    continue;
                }
                String module = moduleName(t);
                modules.add(module);
                String prefix = "base_model.model.model.layers." + block + "." + module;
                NDArray a = p.a(); // [r, nIn]
                NDArray b = p.b(); // [nOut, r]
                int nOut = Math.toIntExact(b.getShape().get(0));
                int r = Math.toIntExact(b.getShape().get(1));
                float[] bValues = b.toFloatArray();
                if (permuted && (t == LoraTarget.Q || t == LoraTarget.K)) {
                    int heads = t == LoraTarget.Q ? model.headCount() : model.headCountKv();
                    bValues = QkPermutation.unpermute(bValues, nOut, r, heads);
                }
                tensors.add(prefix + ".lora_A.weight", a.getShape().getShape(), a.toFloatArray());
                tensors.add(prefix + ".lora_B.weight", new long[] {nOut, r}, bValues);
            }
        }
        tensors.write(dir.resolve(WEIGHTS_FILE));
        ObjectNode config = JSON.createObjectNode();
        config.put("base_model_name_or_path", baseModelName);
        config.put("bias", "none");
        config.put("fan_in_fan_out", false);
        config.put("inference_mode", true);
        config.put("init_lora_weights", true);
        config.put("lora_alpha", lora.config().alpha());
        config.put("lora_dropout", lora.config().dropout());
        config.putNull("modules_to_save");
        config.put("peft_type", "LORA");
        config.put("r", lora.config().rank());
        config.putNull("revision");
        ArrayNode targets = config.putArray("target_modules");
        modules.forEach(m -> targets.add(m.substring(m.indexOf('.') + 1)));
        config.put("task_type", "CAUSAL_LM");
        config.put("use_rslora", false);
        Files.write(
                dir.resolve(CONFIG_FILE), (JSON.writeValueAsString(config) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** PEFT's module path of a target within a layer, e.g. {@code self_attn.q_proj}. */
    static String moduleName(LoraTarget t) {
        return switch (t) {
            case Q -> "self_attn.q_proj";
            case K -> "self_attn.k_proj";
            case V -> "self_attn.v_proj";
            case O -> "self_attn.o_proj";
            case GATE -> "mlp.gate_proj";
            case UP -> "mlp.up_proj";
            case DOWN -> "mlp.down_proj";
        };
    }

    /** Reads the exported tensors back, for checks. */
    public static Map<String, SafetensorsReader.Tensor> readTensors(Path dir) throws IOException {
        return SafetensorsReader.read(dir.resolve(WEIGHTS_FILE));
    }
}
