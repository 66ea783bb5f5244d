package dev.kiln.slurm.scheduler;

import java.util.Objects;

/**
 * Where Slurm's command-line tools are; plain names are looked up on the {@code PATH}.
 *
 * @param sbatch submits batch jobs
 * @param squeue reads the states of the jobs a trainer follows, and finds a job by name
 * @param scontrol checks that the controller answers ({@code scontrol ping})
 * @param scancel cancels jobs
 * @param sacct reads finished jobs from the job-completion log or the accounting database
 */
public record SlurmTools(String sbatch, String squeue, String scontrol, String scancel, String sacct) {
    public SlurmTools {
        Objects.requireNonNull(sbatch, "sbatch");
        Objects.requireNonNull(squeue, "squeue");
        Objects.requireNonNull(scontrol, "scontrol");
        Objects.requireNonNull(scancel, "scancel");
        Objects.requireNonNull(sacct, "sacct");
    }

    /** The tools by their plain names. */
    public static SlurmTools onPath() {
        return new SlurmTools("sbatch", "squeue", "scontrol", "scancel", "sacct");
    }
}
