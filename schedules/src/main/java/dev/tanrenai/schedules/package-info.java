/**
 * Schedules: Quartz cron schedules of the nightly run, with a persisted job store, no overlaps, a
 * misfire policy and a fire history.
 *
 * <ul>
 *   <li>{@link dev.tanrenai.schedules.Schedules}: add, list, pause, resume, remove, history (does not fire).
 *   <li>{@link dev.tanrenai.schedules.SchedulerService}: fires them; each fire is a child process
 *       ({@link dev.tanrenai.schedules.FireCommand}) with its own log, its exit recorded.
 *   <li>{@link dev.tanrenai.schedules.JobStoreDatabase}: an H2 file in the home with the embedded
 *       store, or the PostgreSQL store's database, clustered.
 * </ul>
 *
 * <p>Like every stage module it depends on {@code tanrenai-datasets} and {@code tanrenai-models} only;
 * {@code tanrenai-pipelines} wires it into the CLI.
 */
package dev.tanrenai.schedules;
