package dev.tanrenai.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;

/**
 * Rounds float32 arrays to bfloat16 (and back) on DJL's PyTorch engine, so matrix products can run
 * in oneDNN's bf16 kernels ({@code brg_matmul:avx512_core_bf16} on a CPU with AVX512-BF16: inputs in
 * bf16, float32 accumulation, output rounded to bf16).
 *
 * <p>DJL 0.35.1 cannot make a bf16 array itself: its JNI layer maps no bf16 type, and
 * {@code toType(DataType.BFLOAT16)} or creating a bf16 array <b>aborts the JVM</b> ({@code terminate
 * called without an active exception}). Every other operation works on bf16 arrays once they exist
 * ({@code matMul}, {@code toType(FLOAT32)}, views), and DJL reports their type as {@link
 * DataType#UNKNOWN}. So the one missing operation, {@code x.to(torch.bfloat16)}, runs in a TorchScript
 * module of two lines that this class writes (source, not weights: libtorch compiles it on load) and
 * loads through DJL's own module loader. A bf16 array's values must never be read from Java: widen it
 * with {@link #raise} first.
 */
public final class Bf16 {

    /** {@code c10::ScalarType::BFloat16}. */
    static final int TORCH_BFLOAT16 = 15;

    private static final String METHOD = "to_bf16";

    private final PtSymbolBlock module;

    private Bf16(PtSymbolBlock module) {
        this.module = module;
    }

    /** Loads the cast into {@code manager} (a PyTorch-engine manager, which frees it). */
    public static Bf16 load(NDManager manager) {
        return new Bf16(TorchScriptModules.load(manager, "Bf16Cast", code(), "bf16 cast"));
    }

    /** {@code x} (float32) rounded to bfloat16 (nearest even), a new array in {@code x}'s manager. */
    public NDArray lower(NDArray x) {
        if (x.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException("only float32 arrays are lowered to bf16, got " + x.getDataType());
        }
        try (IValue in = IValue.from((PtNDArray) x);
                IValue out = IValueUtils.runMethod(module, METHOD, in)) {
            return out.toTensor((PtNDManager) x.getManager());
        }
    }

    /** {@code low} (bf16) widened to float32, exactly, a new array in its manager. */
    public static NDArray raise(NDArray low) {
        return low.toType(DataType.FLOAT32, false);
    }

    /** The module's source ({@code code/__torch__.py}). */
    private static String code() {
        return String.join(
                "\n",
                "class Bf16Cast(Module):",
                "  __parameters__ = []",
                "  __buffers__ = []",
                "  training : bool",
                "  def forward(self: __torch__.Bf16Cast, x: Tensor) -> Tensor:",
                "    return torch.to(x, " + TORCH_BFLOAT16 + ")",
                "  def " + METHOD + "(self: __torch__.Bf16Cast, x: Tensor) -> Tensor:",
                "    return torch.to(x, " + TORCH_BFLOAT16 + ")",
                "");
    }
}
