package dev.tanrenai.train.loop;

import ai.djl.ndarray.NDArray;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * AdamW (decoupled weight decay, bias-corrected moments) on the host: the update is computed in
 * Java from the parameter's values and gradient and written back, outside any autograd graph.
 * Adapter factors are small, so this costs little, and it keeps every step plain, inspectable and
 * exactly repeatable; the moment estimates are plain arrays a checkpoint can save.
 */
final class AdamW {
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;

    private final float learningRate;
    private final float weightDecay;
    private final float clipGradient;
    private final Map<String, float[]> firstMoments = new HashMap<>();
    private final Map<String, float[]> secondMoments = new HashMap<>();
    private final Map<String, Integer> steps = new HashMap<>();

    AdamW(float learningRate, float weightDecay, float clipGradient) {
        this.learningRate = learningRate;
        this.weightDecay = weightDecay;
        this.clipGradient = clipGradient;
    }

    /** Updates {@code parameter} from its gradient, then zeroes the gradient. */
    void update(String id, NDArray parameter, NDArray gradient) {
        float[] w = parameter.toFloatArray();
        float[] g = gradient.toFloatArray();
        float[] m = firstMoments.computeIfAbsent(id, k -> new float[w.length]);
        float[] v = secondMoments.computeIfAbsent(id, k -> new float[w.length]);
        int t = steps.merge(id, 1, Integer::sum);
        double correction1 = 1 - Math.pow(BETA1, t);
        double correction2 = 1 - Math.pow(BETA2, t);
        for (int i = 0; i < w.length; i++) {
            float gi = clipGradient > 0 ? Math.max(-clipGradient, Math.min(clipGradient, g[i])) : g[i];
            if (!Float.isFinite(gi)) {
                throw new IllegalStateException("training diverged: the gradient of " + id + " is " + gi + " at " + i);
            }
            m[i] = BETA1 * m[i] + (1 - BETA1) * gi;
            v[i] = BETA2 * v[i] + (1 - BETA2) * gi * gi;
            double mHat = m[i] / correction1;
            double vHat = v[i] / correction2;
            w[i] = (float)
                    (w[i] - learningRate * weightDecay * w[i] - learningRate * mHat / (Math.sqrt(vHat) + EPSILON));
        }
        parameter.set(FloatBuffer.wrap(w));
        gradient.set(FloatBuffer.wrap(new float[g.length]));
    }
}
