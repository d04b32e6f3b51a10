/**
 * Evaluation throughput: forward-only scoring tokens/s of the DJL decoder with an adapter (plain, with
 * the baseline's top-K kept, with KL against a reference) and what the cached champion saves in a
 * second evaluation. {@code pipeline bench evaluate} runs them beside training's tokens/s.
 */
package dev.tanrenai.evaluate.bench;
