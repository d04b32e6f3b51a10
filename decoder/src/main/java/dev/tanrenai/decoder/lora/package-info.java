/**
 * LoRA adapters in DJL: {@link dev.tanrenai.decoder.lora.LoraConfig} (rank, alpha, dropout, targets),
 * {@link dev.tanrenai.decoder.lora.LoraWeights} (the A/B factors, read from and written to llama.cpp's LoRA
 * GGUF format, trainable or frozen), applied by {@link dev.tanrenai.decoder.DecoderModel} exactly as
 * llama.cpp applies a loaded adapter, and {@link dev.tanrenai.decoder.lora.LoraMerge} (an adapter folded
 * into its base).
 */
package dev.tanrenai.decoder.lora;
