/**
 * Evaluate stage: decides whether a trained adapter is better than the model being served, and
 * whether it forgot what the champion knew.
 *
 * <ul>
 *   <li>{@code score}: forward-only likelihoods on the shared DJL decoder (adapter applied, windows,
 *       packing, top-K reference and KL), and the lm-eval {@code LanguageModel} contract with generation on
 *       llama.cpp;
 *   <li>{@code suite}: named, versioned, content-hashed suites — held-out, replay, general text, feedback;
 *       {@code tasks}: lm-evaluation-harness task files; {@code probes}: the team's regression prompts;
 *   <li>{@code cache}: per-item results per model, so a champion is scored once;
 *   <li>{@code stats}: paired clustered bootstrap, McNemar's exact test, minimum detectable effects;
 *   <li>{@code gate}: the promotion policy (declared once, YAML) and the decision with its reasons;
 *   <li>{@code run}: one evaluation from plan to report; {@code report}: report.json, the self-contained
 *       HTML report and the Markdown summary; {@code store}: evaluations in the store database.
 * </ul>
 *
 * Like every stage module it depends on {@code tanrenai-datasets}, {@code tanrenai-models} and the shared
 * {@code tanrenai-decoder} only; {@code tanrenai-pipelines} wires the stages together
 * ({@code pipeline run evaluate}, {@code pipeline evaluations}).
 */
package dev.tanrenai.evaluate;
