/**
 * Train stage: LoRA fine-tuning through DJL (PyTorch engine, CPU by default) of the same GGUF base model llama.cpp serves, loss on assistant tokens only, mixed with a replay buffer against forgetting, with checkpoints, exact resume and GGUF LoRA export.
 *
 * <p>Not built yet: this module holds only its pom and this description until its issue lands.
 * Like every stage module it depends on {@code tanrenai-datasets} and {@code tanrenai-models} only;
 * {@code tanrenai-pipelines} wires the stages together.
 */
package dev.tanrenai.train;
