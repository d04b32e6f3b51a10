package dev.tanrenai.evaluate.score;

/** The coarsened KL divergence of {@link SequenceScore}: top-K tokens of the reference plus one bucket. */
final class KlDivergence {
    private KlDivergence() {}

    /** Below this, the reference's mass outside its top K is treated as none. */
    static final double NEGLIGIBLE_MASS = 1e-9;

    /**
     * {@code Σ_{t<k} p_r(t)·(log p_r(t) − log p_m(t)) + r_r·(log r_r − log r_m)} with {@code r} the mass
     * outside the reference's top {@code k}; never below 0 (rounding can make it a hair negative).
     *
     * @param reference the reference's log-probabilities of its top tokens, at {@code refOffset}
     * @param model this model's log-probabilities of the same tokens, at {@code modelOffset}
     * @param wholeVocabulary whether the top {@code k} is the whole vocabulary (no bucket: the exact KL)
     */
    static float coarsened(
            float[] reference, int refOffset, float[] model, int modelOffset, int k, boolean wholeVocabulary) {
        double kl = 0;
        double referenceMass = 0;
        double modelMass = 0;
        for (int t = 0; t < k; t++) {
            double lr = reference[refOffset + t];
            double lm = model[modelOffset + t];
            double pr = Math.exp(lr);
            kl += pr * (lr - lm);
            referenceMass += pr;
            modelMass += Math.exp(lm);
        }
        double restReference = 1 - referenceMass;
        if (!wholeVocabulary && restReference > NEGLIGIBLE_MASS) {
            double restModel = Math.max(1 - modelMass, Double.MIN_NORMAL);
            kl += restReference * (Math.log(restReference) - Math.log(restModel));
        }
        return (float) Math.max(kl, 0);
    }
}
