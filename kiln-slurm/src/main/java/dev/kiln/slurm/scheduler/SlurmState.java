package dev.kiln.slurm.scheduler;

import java.util.Locale;

/** Slurm's job states, as {@code scontrol}, {@code squeue} and {@code sacct} print them. */
public enum SlurmState {
    PENDING(Phase.WAITING),
    REQUEUED(Phase.WAITING),
    REQUEUE_HOLD(Phase.WAITING),
    REQUEUE_FED(Phase.WAITING),
    RESV_DEL_HOLD(Phase.WAITING),
    CONFIGURING(Phase.ACTIVE),
    RUNNING(Phase.ACTIVE),
    COMPLETING(Phase.ACTIVE),
    SUSPENDED(Phase.ACTIVE),
    STOPPED(Phase.ACTIVE),
    SIGNALING(Phase.ACTIVE),
    STAGE_OUT(Phase.ACTIVE),
    RESIZING(Phase.ACTIVE),
    COMPLETED(Phase.FINISHED),
    CANCELLED(Phase.FINISHED),
    FAILED(Phase.FINISHED),
    TIMEOUT(Phase.FINISHED),
    NODE_FAIL(Phase.FINISHED),
    OUT_OF_MEMORY(Phase.FINISHED),
    BOOT_FAIL(Phase.FINISHED),
    PREEMPTED(Phase.FINISHED),
    DEADLINE(Phase.FINISHED),
    REVOKED(Phase.FINISHED),
    SPECIAL_EXIT(Phase.FINISHED),
    /** A state this version of Kiln does not know; treated as still active. */
    UNKNOWN(Phase.ACTIVE);

    /** Where a job in a state is in its life. */
    public enum Phase {
        /** Waiting to be scheduled. */
        WAITING,
        /** Allocated and (about to be) running, or winding down. */
        ACTIVE,
        /** Ended for good; the state will not change again. */
        FINISHED
    }

    private final Phase phase;

    SlurmState(Phase phase) {
        this.phase = phase;
    }

    /** Where a job in this state is in its life. */
    public Phase phase() {
        return phase;
    }

    /** Whether the job has ended for good. */
    public boolean isFinished() {
        return phase == Phase.FINISHED;
    }

    /**
     * The state a word of Slurm's output names: {@code CANCELLED by 0} and {@code COMPLETING+} count by their first
     * word, and names this enum does not know map to {@link #UNKNOWN}.
     */
    public static SlurmState parse(String text) {
        if (text == null) {
            return UNKNOWN;
        }
        String word = text.strip();
        int end = 0;
        while (end < word.length() && (Character.isLetter(word.charAt(end)) || word.charAt(end) == '_')) {
            end++;
        }
        try {
            return valueOf(word.substring(0, end).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }
}
