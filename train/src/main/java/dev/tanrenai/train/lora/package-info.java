/**
 * Adapter exports beyond llama.cpp's GGUF: {@link dev.tanrenai.train.lora.PeftExport} (PEFT's
 * {@code adapter_config.json} + safetensors, with llama's Q/K rows put back into Hugging Face order by
 * {@link dev.tanrenai.train.lora.QkPermutation}). The factors themselves are
 * {@link dev.tanrenai.decoder.lora.LoraWeights} in the shared decoder module.
 */
package dev.tanrenai.train.lora;
