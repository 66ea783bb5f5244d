/**
 * Time that tests control: the {@link dev.kiln.time.TrainerScheduler} every timer of a trainer or the server runs
 * on ({@code max_duration}, retry backoffs, the Slurm poll loop, the journal's retention purge, the local models
 * poll), with real threads in production and fake time in tests, as
 * Caffeine's {@code Scheduler} and {@code Ticker} are. Depends on nothing else in Kiln.
 */
package dev.kiln.time;
