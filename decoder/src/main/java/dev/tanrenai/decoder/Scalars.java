package dev.tanrenai.decoder;

import ai.djl.ndarray.NDArray;

/**
 * Scalar operands for arithmetic that autograd differentiates through.
 *
 * <p>Never write {@code x.mul(2f)} or {@code x.div(n)} on that path: DJL 0.35's PyTorch engine turns
 * the number into a tensor over a direct buffer, applies the op and closes the tensor at once, but
 * autograd keeps that tensor for the backward pass. Once the garbage collector frees the buffer,
 * backward reads freed memory: gradients come out as NaN or silently wrong, depending on GC timing.
 * A scalar made here lives in the manager of the array it scales (the step's sub-manager), so it
 * outlives the backward pass.
 */
public final class Scalars {
    private Scalars() {}

    /** {@code value} as a 0-d array in {@code like}'s manager, freed with it. */
    public static NDArray of(NDArray like, float value) {
        return Tensors.of(like.getManager(), new float[] {value}, new ai.djl.ndarray.types.Shape());
    }
}
