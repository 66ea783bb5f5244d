package dev.kiln.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.error.KilnException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Submissions between the moment the server hands them to a trainer and the moment the trainer returns: the
 * journal recorder finds their parameters here, and tells the submitter whether the record became durable.
 */
final class PendingSubmissions {
    private final ConcurrentHashMap<String, Submission> pending = new ConcurrentHashMap<>();

    /**
     * Registers a submission under its training id.
     *
     * @throws KilnException CONFLICT if another submission with the same id is under way
     */
    Submission register(String trainingId, JsonNode parameters) {
        Submission s = new Submission(parameters);
        if (pending.putIfAbsent(trainingId, s) != null) {
            throw KilnException.conflict("Training " + trainingId + " is being submitted by another request");
        }
        return s;
    }

    Optional<Submission> find(String trainingId) {
        return Optional.ofNullable(pending.get(trainingId));
    }

    void remove(String trainingId, Submission s) {
        pending.remove(trainingId, s);
    }

    /** One submission in flight. */
    static final class Submission {
        private final JsonNode parameters;
        private volatile boolean recorded;
        private volatile KilnException failure;

        Submission(JsonNode parameters) {
            this.parameters = parameters;
        }

        JsonNode parameters() {
            return parameters;
        }

        void recorded() {
            recorded = true;
        }

        void failed(KilnException e) {
            failure = e;
        }

        boolean isRecorded() {
            return recorded;
        }

        KilnException failure() {
            return failure;
        }
    }
}
