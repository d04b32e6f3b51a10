/**
 * LoRA adapters in DJL: {@link dev.tanrenai.train.lora.LoraConfig} (rank, alpha, dropout, targets),
 * {@link dev.tanrenai.train.lora.LoraWeights} (the trainable A/B factors, read from and written to
 * llama.cpp's LoRA GGUF format), applied by {@link dev.tanrenai.train.model.DecoderModel} exactly as
 * llama.cpp applies a loaded adapter.
 */
package dev.tanrenai.train.lora;
