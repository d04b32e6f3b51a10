/**
 * Schedules: Quartz jobs for nightly runs with no overlaps, a misfire policy and persisted schedules.
 *
 * <p>Not built yet: this module holds only its pom and this description until its issue lands.
 * Like every stage module it depends on {@code tanrenai-datasets} and {@code tanrenai-models} only;
 * {@code tanrenai-pipelines} wires the stages together.
 */
package dev.tanrenai.schedules;
