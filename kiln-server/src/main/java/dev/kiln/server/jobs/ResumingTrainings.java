package dev.kiln.server.jobs;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ids of trainings being submitted again to resume, while their trainer takes them: the journal recorder
 * requeues their records instead of replacing them, so their submission and progress history stay.
 */
final class ResumingTrainings {
    private final Set<String> ids = ConcurrentHashMap.newKeySet();

    void add(String trainingId) {
        ids.add(trainingId);
    }

    void remove(String trainingId) {
        ids.remove(trainingId);
    }

    boolean contains(String trainingId) {
        return ids.contains(trainingId);
    }
}
