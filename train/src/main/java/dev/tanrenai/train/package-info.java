/**
 * Train stage: LoRA fine-tuning through DJL (PyTorch engine, CPU) of the same GGUF base model llama.cpp
 * serves, on the shared decoder of {@code tanrenai-decoder}: packing ({@link dev.tanrenai.train.data}),
 * AdamW steps on assistant-token cross-entropy with an optional KL-to-base term ({@link dev.tanrenai.train.loop}),
 * the replay buffer against forgetting ({@link dev.tanrenai.train.replay}), PEFT export
 * ({@link dev.tanrenai.train.lora}), runs with checkpoints and exact resume ({@link dev.tanrenai.train.run})
 * and the training benchmark ({@link dev.tanrenai.train.bench}).
 */
package dev.tanrenai.train;
