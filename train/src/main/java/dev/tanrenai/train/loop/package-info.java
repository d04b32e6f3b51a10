/**
 * The training loop: {@link dev.tanrenai.train.loop.AdapterTrainer} takes AdamW steps on a LoRA
 * adapter with next-token cross-entropy on the loss-masked (assistant) tokens, base frozen,
 * repeatable run to run (with {@code MKL_CBWR=COMPATIBLE}, which the build and the launcher set).
 */
package dev.tanrenai.train.loop;
