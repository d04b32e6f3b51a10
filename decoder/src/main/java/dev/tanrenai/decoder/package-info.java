/**
 * The llama/qwen2 decoder in DJL, shared by the train and evaluate stages:
 * {@link dev.tanrenai.decoder.DecoderConfig} (from GGUF metadata), {@link dev.tanrenai.decoder.DecoderWeights}
 * (frozen, dequantized from the GGUF) and {@link dev.tanrenai.decoder.DecoderModel} (forward pass over packed
 * sequences and greedy decoding), with {@link dev.tanrenai.decoder.lora} (LoRA factors read from and written as
 * llama.cpp adapter GGUFs, applied as llama.cpp applies them) and {@link dev.tanrenai.decoder.render}
 * (conversations rendered by the model's own chat template, with the assistant-only mask). The parity tests
 * in this module check all of it against llama.cpp.
 */
package dev.tanrenai.decoder;
