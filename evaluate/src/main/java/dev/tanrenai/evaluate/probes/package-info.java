/**
 * Probe suites: the team's own regression prompts, run by generation on the served runtime.
 *
 * <p>A {@link dev.tanrenai.evaluate.probes.ProbeFile} is strict YAML (unknown fields, wrong types,
 * repeated keys or ids and invalid regular expressions are errors naming file, line and field); each
 * {@link dev.tanrenai.evaluate.probes.Probe} is a prompt or a conversation with an expected answer
 * ({@code exact} after trimming, {@code contains}, or a {@code regex} found in the output; any of a
 * list; optionally ignoring case) and a {@code must_pass} flag.
 * {@link dev.tanrenai.evaluate.probes.ProbeSuite} renders each probe with the model's chat template,
 * generates greedily on llama.cpp with the model's adapter, and scores {@code pass} per probe; its
 * {@code pass_rate} is compared candidate vs champion like any 0/1 metric, and
 * {@link dev.tanrenai.evaluate.probes.ProbeSuite#failedMustPass} lists what the gate refuses on. See
 * {@code evaluate/probes.example.yaml}.
 */
package dev.tanrenai.evaluate.probes;
