package dev.tanrenai.train.lora;

/**
 * The row order llama.cpp's Hugging Face conversion gives the Q and K projections of llama models
 * ({@code convert_hf_to_gguf.py}, {@code LlamaModel.permute}): within each head of {@code headDim}
 * rows, HF keeps the two rotary halves apart (row {@code j·headDim/2 + i}) while GGUF interleaves
 * them (row {@code 2i + j}), because llama.cpp rotates adjacent pairs. A LoRA B factor of Q or K
 * trained on a GGUF model must be put back in HF order for PEFT. Qwen2 is converted without it.
 */
public final class QkPermutation {
    private QkPermutation() {}

    /** HF → GGUF row order of a row-major {@code [rows, cols]} matrix with {@code heads} heads. */
    public static float[] permute(float[] hf, int rows, int cols, int heads) {
        return reorder(hf, rows, cols, heads, true);
    }

    /** GGUF → HF row order (the inverse of {@link #permute}). */
    public static float[] unpermute(float[] gguf, int rows, int cols, int heads) {
        return reorder(gguf, rows, cols, heads, false);
    }

    private static float[] reorder(float[] in, int rows, int cols, int heads, boolean toGguf) {
        if (in.length != (long) rows * cols) {
            throw new IllegalArgumentException(in.length + " values for a [" + rows + ", " + cols + "] matrix");
        }
        if (heads < 1 || rows % (2 * heads) != 0) {
            throw new IllegalArgumentException(rows + " rows do not split into " + heads + " heads of rotary pairs");
        }
        int headDim = rows / heads;
        int half = headDim / 2;
        float[] out = new float[in.length];
        for (int h = 0; h < heads; h++) {
            for (int j = 0; j < 2; j++) {
                for (int i = 0; i < half; i++) {
                    int hfRow = h * headDim + j * half + i;
                    int ggufRow = h * headDim + 2 * i + j;
                    int from = toGguf ? hfRow : ggufRow;
                    int to = toGguf ? ggufRow : hfRow;
                    System.arraycopy(in, from * cols, out, to * cols, cols);
                }
            }
        }
        return out;
    }
}
