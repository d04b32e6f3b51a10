/**
 * Online A/B experiments between the serving champion and challenger: per-arm outcomes read back from
 * the conversation store ({@link dev.tanrenai.experiment.OutcomeReader}), clustered per user; the
 * always-valid mixture sequential probability ratio test on the primary metric
 * ({@link dev.tanrenai.experiment.Msprt}); guardrails that may only stop an experiment
 * ({@link dev.tanrenai.experiment.Guardrails}); the decision ({@link dev.tanrenai.experiment.Decider});
 * and carrying it out in the registry and the store ({@link dev.tanrenai.experiment.Experiments}).
 * Shared by serve and pipelines; it depends on no stage module.
 */
package dev.tanrenai.experiment;
