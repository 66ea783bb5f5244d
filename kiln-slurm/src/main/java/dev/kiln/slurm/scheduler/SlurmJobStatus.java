package dev.kiln.slurm.scheduler;

import java.util.Objects;

/**
 * One job as Slurm reported it at one moment.
 *
 * @param jobId the Slurm job id
 * @param state the job's state
 * @param stateText the state exactly as printed, such as {@code CANCELLED by 0}
 * @param exitCode the exit code, or null when not reported
 * @param reason why the job is in this state ({@code TimeLimit}, {@code NonZeroExitCode}), or null
 * @param restarts how many times Slurm has requeued the job, or null when not reported
 */
public record SlurmJobStatus(
        String jobId, SlurmState state, String stateText, ExitCode exitCode, String reason, Integer restarts) {
    /** A status without a restart count. */
    public SlurmJobStatus(String jobId, SlurmState state, String stateText, ExitCode exitCode, String reason) {
        this(jobId, state, stateText, exitCode, reason, null);
    }

    public SlurmJobStatus {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(state, "state");
        stateText = stateText == null ? state.name() : stateText;
        reason = reason == null || reason.isBlank() || reason.equals("None") ? null : reason;
    }

    /** How the job ended, for error messages: {@code ended TIMEOUT with exit code 0:15 (reason: TimeLimit)}. */
    public String describeEnd() {
        StringBuilder b = new StringBuilder("ended ").append(state.name());
        if (exitCode != null) {
            b.append(" with exit code ").append(exitCode);
        }
        if (reason != null) {
            b.append(" (reason: ").append(reason).append(')');
        }
        return b.toString();
    }
}
