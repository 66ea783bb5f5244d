/**
 * The {@code SLURM} trainer: each training becomes a Slurm batch job that runs Kiln's worker on a compute node
 * against a shared work directory. One poller thread follows every job through Slurm's tools and the worker's
 * event file, and job records in the work directory let a new trainer re-attach to jobs an earlier one submitted.
 */
package dev.kiln.slurm;
