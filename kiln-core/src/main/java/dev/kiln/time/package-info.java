/**
 * Time that tests control: the {@link dev.kiln.time.TrainerScheduler} every timer of a trainer runs on
 * ({@code max_duration}, the Slurm poll loop), with real threads in production and fake time in tests, as
 * Caffeine's {@code Scheduler} and {@code Ticker} are. Depends on nothing else in Kiln.
 */
package dev.kiln.time;
