/**
 * The LOCAL trainer's child-JVM runner ({@code use_subprocess: true}): starts workers ({@link
 * dev.kiln.worker.WorkerMain} in pipe mode) fresh per job ({@code spawn}) or from a pool of pre-started ones ({@code
 * forkserver}), drives one job per worker over the worker protocol, captures its output, and stops, kills and
 * diagnoses it.
 */
package dev.kiln.local.child;
