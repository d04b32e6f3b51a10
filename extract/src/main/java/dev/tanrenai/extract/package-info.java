/**
 * Extract stage: scheduled, incremental Apache Beam pipelines that read stored conversations (the serving endpoint's log in the conversation store, plus OpenAI-style JSONL and ShareGPT imports) since the last committed watermark, validate them, and send every bad record to a dead-letter output with its reason.
 *
 * <p>Not built yet: this module holds only its pom and this description until its issue lands.
 * Like every stage module it depends on {@code tanrenai-datasets} and {@code tanrenai-models} only;
 * {@code tanrenai-pipelines} wires the stages together.
 */
package dev.tanrenai.extract;
