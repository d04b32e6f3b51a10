/**
 * Serve stage: an OpenAI-compatible HTTP endpoint on llama.cpp slots (champion, challenger) behind sticky A/B routing, logging every served conversation back to the conversation store.
 *
 * <p>Like every stage module it depends on {@code tanrenai-datasets} and {@code tanrenai-models} only;
 * {@code tanrenai-pipelines} wires the stages together.
 */
package dev.tanrenai.serve;
