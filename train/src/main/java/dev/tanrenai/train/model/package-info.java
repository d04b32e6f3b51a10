/**
 * The base model in DJL: {@link dev.tanrenai.train.model.DecoderConfig} (from GGUF metadata),
 * {@link dev.tanrenai.train.model.DecoderWeights} (frozen, dequantized from the GGUF) and
 * {@link dev.tanrenai.train.model.DecoderModel} (forward pass and greedy decoding), checked against
 * llama.cpp by the parity tests.
 */
package dev.tanrenai.train.model;
