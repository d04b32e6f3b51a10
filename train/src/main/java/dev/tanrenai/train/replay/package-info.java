/**
 * Forgetting control: {@link dev.tanrenai.train.replay.ReplayBuffer}, a persistent, seeded
 * reservoir sample of every conversation trained on, updated only after a run succeeds.
 */
package dev.tanrenai.train.replay;
