/**
 * Train stage: LoRA fine-tuning through DJL (PyTorch engine, CPU by default) of the same GGUF base
 * model llama.cpp serves, loss on assistant tokens only, mixed with a replay buffer against
 * forgetting, with checkpoints, exact resume and GGUF LoRA export.
 *
 * <p>Built so far: {@link dev.tanrenai.train.model} — the llama/qwen2 decoder in DJL, loaded
 * straight from the GGUF, whose final hidden states and greedy decoding match llama.cpp's — and
 * {@link dev.tanrenai.train.lora} — LoRA factors that read and write llama.cpp's adapter GGUF and give
 * the same greedy decoding as llama.cpp with that adapter loaded — and {@link dev.tanrenai.train.loop}
 * — AdamW steps on assistant-token cross-entropy; an adapter trained this way and exported teaches
 * llama.cpp an answer. Chat-template data rendering, packing, replay, schedules, checkpoints and
 * resume, PEFT export, registration and the CLI are the rest of the train issue.
 */
package dev.tanrenai.train;
