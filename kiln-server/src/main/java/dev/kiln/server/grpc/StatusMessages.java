package dev.kiln.server.grpc;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.kiln.error.KilnException;
import dev.kiln.job.JobStatus;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * caikit's {@code TrainingInfoRequest} and {@code TrainingStatusResponse} with their fields and state values looked up
 * once, so that a status call reads and builds its messages without searching the descriptors by name.
 */
final class StatusMessages {
    private final FieldDescriptor requestId;
    private final Descriptor status;
    private final FieldDescriptor id;
    private final FieldDescriptor state;
    private final FieldDescriptor submitted;
    private final FieldDescriptor completed;
    private final FieldDescriptor reasons;
    private final Map<JobStatus, EnumValueDescriptor> states = new EnumMap<>(JobStatus.class);

    StatusMessages(KilnSchema schema) {
        this.requestId = schema.message(ServiceNames.RUNTIME_DATA_MODEL + ".TrainingInfoRequest")
                .findFieldByName("training_id");
        this.status = schema.message(ServiceNames.RUNTIME_DATA_MODEL + ".TrainingStatusResponse");
        this.id = status.findFieldByName("training_id");
        this.state = status.findFieldByName("state");
        this.submitted = status.findFieldByName("submission_timestamp");
        this.completed = status.findFieldByName("completion_timestamp");
        this.reasons = status.findFieldByName("reasons");
        for (JobStatus s : JobStatus.values()) {
            EnumValueDescriptor v = state.getEnumType().findValueByName(s.name());
            if (v == null) {
                throw new IllegalStateException(state.getEnumType().getFullName() + " has no value " + s);
            }
            states.put(s, v);
        }
    }

    /**
     * The training id a {@code TrainingInfoRequest} names.
     *
     * @throws KilnException INVALID_ARGUMENT if it is empty
     */
    String trainingId(DynamicMessage req) {
        String value = (String) req.getField(requestId);
        if (value.isBlank()) {
            throw KilnException.invalidArgument("training_id is required: the id a training request answered");
        }
        return value;
    }

    /** caikit's {@code TrainingStatusResponse}; the timestamps are left unset when null. */
    DynamicMessage status(String trainingId, JobStatus s, Instant submittedAt, Instant completedAt, List<String> why) {
        DynamicMessage.Builder b =
                DynamicMessage.newBuilder(status).setField(id, trainingId).setField(state, states.get(s));
        if (submittedAt != null) {
            b.setField(submitted, Timestamps.of(submittedAt));
        }
        if (completedAt != null) {
            b.setField(completed, Timestamps.of(completedAt));
        }
        for (String reason : why) {
            b.addRepeatedField(reasons, reason);
        }
        return b.build();
    }
}
