/**
 * Evaluate stage: benchmark suites (held-out perplexity, retention on replay and general suites, task suites), candidate-versus-champion comparison with confidence intervals, a promotion decision with reasons, and readable reports.
 *
 * <p>Not built yet: this module holds only its pom and this description until its issue lands.
 * Like every stage module it depends on {@code tanrenai-datasets} and {@code tanrenai-models} only;
 * {@code tanrenai-pipelines} wires the stages together.
 */
package dev.tanrenai.evaluate;
