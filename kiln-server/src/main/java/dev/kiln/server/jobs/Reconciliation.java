package dev.kiln.server.jobs;

import java.util.List;

/**
 * What a starting server did with the trainings its journal showed unfinished.
 *
 * @param interrupted trainings recorded as interrupted: their trainer's jobs ended with the server that ran them
 * @param reattached trainings whose trainer still tracks them (their jobs outlive the server); their state is taken
 *     from the trainer and journaled from now on
 * @param untracked trainings of such a trainer that it no longer tracks, recorded as interrupted
 * @param resumed trainings submitted again to their trainers ({@code resume_interrupted}), to resume from their
 *     checkpoints
 */
public record Reconciliation(
        List<String> interrupted, List<String> reattached, List<String> untracked, List<String> resumed) {

    public Reconciliation {
        resumed = List.copyOf(resumed);
        interrupted = List.copyOf(interrupted);
        reattached = List.copyOf(reattached);
        untracked = List.copyOf(untracked);
    }
}
