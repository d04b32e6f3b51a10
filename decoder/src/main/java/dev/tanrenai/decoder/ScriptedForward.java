package dev.tanrenai.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import dev.tanrenai.decoder.lora.LoraWeights;
import java.util.ArrayList;
import java.util.List;

/**
 * The forward-only scoring pass of a {@link DecoderModel} as one TorchScript call: blocks, final
 * norm, output head on the scored rows and log-softmax run inside libtorch, where DJL would make one
 * JNI call per operation (hundreds per pass; see the README's Performance section for what that saves). The module is source written
 * for this model's shape, adapter layout and precision ({@link ScriptedForwardSource}); the weights are
 * passed to each call as a list of the model's own tensors (references, no copies). Embeddings,
 * rotary tables and the packed sequence's mask are made in Java exactly as the DJL path makes them.
 */
final class ScriptedForward {

    private static final String METHOD = "score";

    private final PtSymbolBlock module;
    private final PtNDArray[] tensors;

    private ScriptedForward(PtSymbolBlock module, List<NDArray> tensors) {
        this.module = module;
        this.tensors = tensors.stream().map(t -> (PtNDArray) t).toArray(PtNDArray[]::new);
    }

    /** Compiles the pass for {@code weights} with {@code lora} (or null) and {@code low} (or null: float32). */
    static ScriptedForward load(DecoderWeights weights, LoraWeights lora, Bf16Weights low) {
        List<NDArray> tensors = new ArrayList<>();
        String code = ScriptedForwardSource.write(weights, lora, low, tensors);
        PtSymbolBlock module = TorchScriptModules.load(
                weights.outputNorm().getManager(), ScriptedForwardSource.CLASS, code, "scoring forward");
        return new ScriptedForward(module, tensors);
    }

    /**
     * Log-probabilities {@code [n, vocab]} of the positions {@code rows} ({@code [n]}, int64, indices into
     * the flattened {@code [batch * seq]} positions) of a pass over the embeddings {@code x} ({@code [batch,
     * seq, dim]}), every row under {@code mask} ({@code [seq, seq]}) and the rotary angles {@code cos},
     * {@code sin} ({@code [seq, 1, ropeDim/2]}), in {@code m}.
     */
    NDArray logProbs(NDArray x, NDArray cos, NDArray sin, NDArray mask, NDArray rows, NDManager m) {
        try (IValue ix = IValue.from((PtNDArray) x);
                IValue ic = IValue.from((PtNDArray) cos);
                IValue is = IValue.from((PtNDArray) sin);
                IValue im = IValue.from((PtNDArray) mask);
                IValue ir = IValue.from((PtNDArray) rows);
                IValue iw = IValue.listFrom(tensors);
                IValue out = IValueUtils.runMethod(module, METHOD, ix, ic, is, im, ir, iw)) {
            return out.toTensor((PtNDManager) m);
        }
    }
}
