/**
 * A training's directory in the shared work directory: the job spec the worker reads, the events it appends (both
 * in the worker protocol of {@code dev.kiln.worker}), the batch script, Slurm's output file, and the job record
 * that lets a later trainer re-attach.
 */
package dev.kiln.slurm.jobdir;
