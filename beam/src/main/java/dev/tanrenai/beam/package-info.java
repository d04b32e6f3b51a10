/**
 * Beam pieces the stage pipelines share: {@link dev.tanrenai.beam.ReadSnapshot} reads a dataset
 * snapshot in parallel by Arrow record batch, {@link dev.tanrenai.beam.StageCounters} collects a
 * stage's counters after a run.
 */
package dev.tanrenai.beam;
