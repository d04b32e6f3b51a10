package dev.tanrenai.train.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The float32 matrix-multiplication rate this machine reaches through DJL's PyTorch engine:
 * {@code [rows, n]·[n, n]} products timed repeatedly, median taken (the box is noisy). It is the
 * reference for model-FLOPs utilisation: what the same engine does on its best-case operation.
 */
public final class MatmulPeak {

    /** @param gflops median rate; @param best fastest repetition's rate */
    public record Result(int rows, int n, int repetitions, double gflops, double best) {}

    private MatmulPeak() {}

    public static Result measure(int rows, int n, int repetitions) {
        if (rows < 1 || n < 1 || repetitions < 1) {
            throw new IllegalArgumentException("rows, n and repetitions must be >= 1");
        }
        SplittableRandom random = new SplittableRandom(1);
        float[] a = new float[rows * n];
        float[] b = new float[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) random.nextDouble(-1, 1);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) random.nextDouble(-1, 1);
        }
        double flops = 2.0 * rows * n * n;
        double[] rates = new double[repetitions];
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(a, new Shape(rows, n)).duplicate(); // [rows, n]
            NDArray w = m.create(b, new Shape(n, n)).duplicate(); // [n, n]
            for (int warm = 0; warm < 10; warm++) {
                try (NDArray y = x.matMul(w)) {
                    y.getFloat(0, 0);
                }
            }
            for (int r = 0; r < repetitions; r++) {
                long start = System.nanoTime();
                try (NDArray y = x.matMul(w)) {
                    y.getFloat(0, 0); // forces completion
                }
                rates[r] = flops / ((System.nanoTime() - start) / 1e9) / 1e9;
            }
        }
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        return new Result(rows, n, repetitions, sorted[sorted.length / 2], sorted[sorted.length - 1]);
    }
}
