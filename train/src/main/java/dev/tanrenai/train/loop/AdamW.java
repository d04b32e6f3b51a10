package dev.tanrenai.train.loop;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * AdamW (decoupled weight decay, bias-corrected moments) on the host: the update is computed in
 * Java from a parameter's values and its (already clipped and averaged) gradient. Adapter factors
 * are small, so this costs little, and it keeps every step plain, inspectable and exactly
 * repeatable; the moments are plain arrays a checkpoint saves and restores bit for bit.
 */
final class AdamW {
    static final float BETA1 = 0.9f;
    static final float BETA2 = 0.999f;
    static final float EPSILON = 1e-8f;

    /**
     * The optimizer's state: the number of updates done and each parameter's moment estimates.
     *
     * @param step updates applied so far
     * @param firstMoments by parameter id
     * @param secondMoments by parameter id
     */
    record State(int step, Map<String, float[]> firstMoments, Map<String, float[]> secondMoments) {
        State {
            if (step < 0) {
                throw new IllegalArgumentException("optimizer step must be >= 0, got " + step);
            }
            firstMoments = new TreeMap<>(firstMoments);
            secondMoments = new TreeMap<>(secondMoments);
            if (!firstMoments.keySet().equals(secondMoments.keySet())) {
                throw new IllegalArgumentException("first and second moments name different parameters");
            }
        }
    }

    private final float weightDecay;
    private Map<String, float[]> firstMoments = new TreeMap<>();
    private Map<String, float[]> secondMoments = new TreeMap<>();
    private int step;

    AdamW(float weightDecay) {
        this.weightDecay = weightDecay;
    }

    /** Starts a new update (all parameters of one step share its bias correction). */
    void beginStep() {
        step++;
    }

    /** Updates {@code w} in place from gradient {@code g} at learning rate {@code lr}. */
    void update(String id, float[] w, float[] g, float lr) {
        if (step == 0) {
            throw new IllegalStateException("beginStep() first");
        }
        float[] m = firstMoments.computeIfAbsent(id, k -> new float[w.length]);
        float[] v = secondMoments.computeIfAbsent(id, k -> new float[w.length]);
        if (m.length != w.length || g.length != w.length) {
            throw new IllegalArgumentException(
                    id + ": " + w.length + " values, " + g.length + " gradients, " + m.length + " moments");
        }
        double correction1 = 1 - StrictMath.pow(BETA1, step);
        double correction2 = 1 - StrictMath.pow(BETA2, step);
        for (int i = 0; i < w.length; i++) {
            float gi = g[i];
            m[i] = BETA1 * m[i] + (1 - BETA1) * gi;
            v[i] = BETA2 * v[i] + (1 - BETA2) * gi * gi;
            double mHat = m[i] / correction1;
            double vHat = v[i] / correction2;
            w[i] = (float) (w[i] - lr * weightDecay * w[i] - lr * mHat / (StrictMath.sqrt(vHat) + EPSILON));
        }
    }

    State state() {
        Map<String, float[]> first = new TreeMap<>();
        Map<String, float[]> second = new TreeMap<>();
        firstMoments.forEach((k, v) -> first.put(k, v.clone()));
        secondMoments.forEach((k, v) -> second.put(k, v.clone()));
        return new State(step, first, second);
    }

    void restore(State state) {
        Objects.requireNonNull(state, "state");
        this.step = state.step();
        this.firstMoments = new TreeMap<>();
        this.secondMoments = new TreeMap<>();
        state.firstMoments().forEach((k, v) -> firstMoments.put(k, v.clone()));
        state.secondMoments().forEach((k, v) -> secondMoments.put(k, v.clone()));
    }
}
