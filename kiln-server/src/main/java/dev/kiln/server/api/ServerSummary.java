package dev.kiln.server.api;

import java.util.List;
import java.util.Map;

/**
 * The load at a glance: trainings by state and each trainer's limits.
 *
 * @param counts how many retained trainings are in each state
 * @param queueLength how many trainings wait for a slot (QUEUED)
 * @param trainers the configured trainers
 */
public record ServerSummary(Map<String, Long> counts, long queueLength, List<TrainerSummary> trainers) {

    /**
     * One configured trainer.
     *
     * @param name its instance name
     * @param type its type, such as {@code LOCAL}
     * @param maxConcurrentJobs its {@code max_concurrent_jobs}, or null for no limit
     */
    public record TrainerSummary(String name, String type, Long maxConcurrentJobs) {}
}
