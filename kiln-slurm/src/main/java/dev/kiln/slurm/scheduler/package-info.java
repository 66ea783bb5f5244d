/**
 * Slurm's command-line tools as Java calls: {@code sbatch}, {@code scontrol}, {@code sacct}, {@code scancel} and
 * {@code squeue}, with parsers for their output and Slurm's job states. Knows nothing of trainings.
 */
package dev.kiln.slurm.scheduler;
