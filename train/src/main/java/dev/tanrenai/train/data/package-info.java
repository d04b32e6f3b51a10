/**
 * Training sequences: {@link dev.tanrenai.train.data.SequencePacker} packs rendered conversations
 * ({@link dev.tanrenai.decoder.render.TrainingExample}, from the shared decoder module's renderer) in a
 * seeded order into {@link dev.tanrenai.train.data.PackedSequence}s whose examples attend only to themselves.
 */
package dev.tanrenai.train.data;
