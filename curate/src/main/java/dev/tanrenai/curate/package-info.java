/**
 * Curate stage: Beam composite transforms that normalize, redact secrets and PII, deduplicate (exact and near-duplicate with Lucene MinHash), score quality with Tribuo, split train/held-out, and write versioned Arrow dataset snapshots with provenance.
 *
 * <p>Not built yet: this module holds only its pom and this description until its issue lands.
 * Like every stage module it depends on {@code tanrenai-datasets} and {@code tanrenai-models} only;
 * {@code tanrenai-pipelines} wires the stages together.
 */
package dev.tanrenai.curate;
