/**
 * The training loop: {@link dev.tanrenai.train.loop.AdapterTrainer} takes AdamW steps on a LoRA
 * adapter with next-token cross-entropy on the loss-masked (assistant) tokens, base frozen,
 * repeatable run to run (with {@code MKL_CBWR=COMPATIBLE}, which the build and the launcher set).
 * The optimizer runs on the host ({@code AdamW}): DJL's native Adam update produced sporadic NaN
 * losses here under CPU load, and host-side moments can be checkpointed for exact resume.
 */
package dev.tanrenai.train.loop;
