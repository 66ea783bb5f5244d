package dev.kiln.server.grpc;

import static com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type.TYPE_DOUBLE;
import static com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type.TYPE_MESSAGE;
import static com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type.TYPE_STRING;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import dev.kiln.serving.task.TaskSpec;

/**
 * The messages of the inference service, by caikit's names ({@code get_task_predict_rpc_name},
 * {@code get_task_predict_request_name}): {@code <Task>Predict} takes {@code <Task>Request}. caikit's
 * {@code TextClassificationTask} takes {@code text = 1} and answers {@code caikit_data_model.nlp.ClassificationResults};
 * Kiln's tabular tasks take the row as {@code inputs = 1}, a {@code google.protobuf.Struct}, and answer
 * ClassificationResults or {@code kiln.runtime.RegressionResult}; any other task takes and answers a
 * {@code google.protobuf.Value}.
 */
final class PredictMessages {
    static final String NLP_PACKAGE = "caikit_data_model.nlp";
    static final String NLP_FILE = NLP_PACKAGE + ".proto";
    static final String CLASSIFICATION_RESULTS = NLP_PACKAGE + ".ClassificationResults";
    static final String TEXT_CLASSIFICATION = "TextClassificationTask";
    static final String VALUE = ".google.protobuf.Value";

    private PredictMessages() {}

    /** {@code caikit_data_model.nlp}: ClassificationResult {label = 1, score = 2} and ClassificationResults. */
    static FileDescriptorProto nlpFile() {
        return FileDescriptorProto.newBuilder()
                .setName(NLP_FILE)
                .setPackage(NLP_PACKAGE)
                .setSyntax("proto3")
                .addMessageType(MessageBuilder.message("ClassificationResult")
                        .field("label", 1, TYPE_STRING)
                        .field("score", 2, TYPE_DOUBLE)
                        .build())
                .addMessageType(MessageBuilder.message("ClassificationResults")
                        .repeated("results", 1, TYPE_MESSAGE, "." + NLP_PACKAGE + ".ClassificationResult")
                        .build())
                .build();
    }

    static String rpc(TaskSpec task) {
        return task.name() + "Predict";
    }

    static String requestName(TaskSpec task) {
        return task.name() + "Request";
    }

    static DescriptorProto request(TaskSpec task) {
        MessageBuilder m = MessageBuilder.message(requestName(task));
        if (isText(task)) {
            return m.field("text", 1, TYPE_STRING).build();
        }
        return m.field("inputs", 1, TYPE_MESSAGE, isTabular(task) ? CaikitMessages.STRUCT : VALUE)
                .build();
    }

    /** The answer's full type name, with a leading dot. */
    static String response(TaskSpec task) {
        return switch (task.name()) {
            case TEXT_CLASSIFICATION, "TabularClassificationTask" -> "." + CLASSIFICATION_RESULTS;
            case "TabularRegressionTask" -> "." + KilnSchema.REGRESSION_RESULT;
            default -> VALUE;
        };
    }

    static boolean isTabular(TaskSpec task) {
        return task.name().startsWith("Tabular");
    }

    static boolean isText(TaskSpec task) {
        return task.name().equals(TEXT_CLASSIFICATION);
    }
}
