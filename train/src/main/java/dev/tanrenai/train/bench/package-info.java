/**
 * Training throughput: tokens per second and model-FLOPs utilisation of LoRA training steps,
 * against a matrix-multiplication peak measured in the same process.
 */
package dev.tanrenai.train.bench;
