/** Serving throughput and latency through the endpoint, side by side with llama.cpp called directly. */
package dev.tanrenai.serve.bench;
