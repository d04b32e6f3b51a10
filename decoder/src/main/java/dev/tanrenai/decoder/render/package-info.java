/**
 * Conversations as the model sees them: {@link dev.tanrenai.decoder.render.ConversationRenderer} renders one
 * through the model's own chat template and tokenizer (llama.cpp), so the training and scoring format is the
 * serving format, with a mask on the assistant turns only ({@link dev.tanrenai.decoder.render.TrainingExample}).
 */
package dev.tanrenai.decoder.render;
