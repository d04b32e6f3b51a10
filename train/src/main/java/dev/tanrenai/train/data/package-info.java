/**
 * Training data: {@link dev.tanrenai.train.data.ConversationRenderer} renders a conversation
 * through the model's own chat template and tokenizer (llama.cpp), so the training format is the
 * serving format, with a loss mask on the assistant turns only ({@link dev.tanrenai.train.data.TrainingExample}).
 */
package dev.tanrenai.train.data;
