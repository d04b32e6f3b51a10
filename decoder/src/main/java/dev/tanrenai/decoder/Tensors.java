package dev.tanrenai.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Arrays made from Java data, held in memory PyTorch allocated and owns.
 *
 * <p>DJL's {@code NDManager.create} wraps a Java direct buffer without copying; the tensor is only
 * valid while the Java wrapper keeps that buffer reachable. Autograd, however, keeps tensors for the
 * backward pass beyond any wrapper's life (see {@link Scalars} for the case that bit), and a freed
 * buffer is read silently. A copy PyTorch makes itself has no such tie, so every array the model
 * and the trainer use is one.
 */
public final class Tensors {
    private Tensors() {}

    /** {@code data} with {@code shape}, in PyTorch-allocated memory owned by {@code m}. */
    public static NDArray of(NDManager m, float[] data, Shape shape) {
        return owned(m.create(data, shape));
    }

    /** {@code data} as a vector, in PyTorch-allocated memory owned by {@code m}. */
    public static NDArray of(NDManager m, float[] data) {
        return owned(m.create(data));
    }

    /** {@code data} with {@code shape} (int64), in PyTorch-allocated memory owned by {@code m}. */
    public static NDArray of(NDManager m, long[] data, Shape shape) {
        return owned(m.create(data, shape));
    }

    private static NDArray owned(NDArray wrapped) {
        NDArray copy = wrapped.duplicate();
        wrapped.close();
        return copy;
    }
}
