/**
 * One training run end to end: render a dataset snapshot and the replay buffer with the model's own
 * template, pack, train, checkpoint, export the adapter (llama.cpp GGUF and PEFT) and write its
 * provenance.
 */
package dev.tanrenai.train.run;
