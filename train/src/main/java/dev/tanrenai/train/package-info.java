/**
 * Train stage: LoRA fine-tuning through DJL (PyTorch engine, CPU by default) of the same GGUF base
 * model llama.cpp serves, loss on assistant tokens only, mixed with a replay buffer against
 * forgetting, with checkpoints, exact resume and GGUF LoRA export.
 *
 * <p>Built so far: {@link dev.tanrenai.train.model} — the llama/qwen2 decoder in DJL, loaded
 * straight from the GGUF, whose final hidden states and greedy decoding match llama.cpp's. LoRA
 * factors, the training loop, replay and export are the rest of the train issue.
 */
package dev.tanrenai.train;
