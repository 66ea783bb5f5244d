package dev.kiln.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.ListValue;
import com.google.protobuf.Message;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Models' JSON answers become the RPCs' messages with protobuf's JSON mapping. */
class AnswerMessagesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Descriptor RESULTS =
            KilnSchemaTest.SCHEMA.messageOrWellKnown(PredictMessages.CLASSIFICATION_RESULTS);
    private static final Descriptor REGRESSION = KilnSchemaTest.SCHEMA.message(KilnSchema.REGRESSION_RESULT);
    private static final Descriptor VALUE = KilnSchemaTest.SCHEMA.messageOrWellKnown("google.protobuf.Value");

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void classificationResultsKeepEveryResultInOrder() throws Exception {
        DynamicMessage m = AnswerMessages.of(
                json("{\"results\":[{\"label\":\"spam\",\"score\":0.75},{\"label\":\"ham\",\"score\":0.25}]}"),
                RESULTS);

        var results = RESULTS.findFieldByName("results");
        assertThat(m.getRepeatedFieldCount(results)).isEqualTo(2);
        Message first = (Message) m.getRepeatedField(results, 0);
        Message second = (Message) m.getRepeatedField(results, 1);
        var label = first.getDescriptorForType().findFieldByName("label");
        var score = first.getDescriptorForType().findFieldByName("score");
        assertThat(first.getField(label)).isEqualTo("spam");
        assertThat(first.getField(score)).isEqualTo(0.75);
        assertThat(second.getField(label)).isEqualTo("ham");
        assertThat(second.getField(score)).isEqualTo(0.25);
    }

    @Test
    void fieldsAreFoundByJsonNameAndNullLeavesThemUnset() throws Exception {
        DynamicMessage m = AnswerMessages.of(json("{\"results\":null}"), RESULTS);
        assertThat(m.getAllFields()).isEmpty();

        DynamicMessage r = AnswerMessages.of(json("{\"value\":2}"), REGRESSION);
        assertThat(r.getField(REGRESSION.findFieldByName("value"))).isEqualTo(2.0);
        assertThat(AnswerMessages.of(json("{\"value\":\"-Infinity\"}"), REGRESSION)
                        .getField(REGRESSION.findFieldByName("value")))
                .isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void anyJsonBecomesAValue() throws Exception {
        Value expected = Value.newBuilder()
                .setStructValue(Struct.newBuilder()
                        .putFields("n", Value.newBuilder().setNumberValue(1.5).build())
                        .putFields("s", Value.newBuilder().setStringValue("x").build())
                        .putFields("b", Value.newBuilder().setBoolValue(true).build())
                        .putFields(
                                "z",
                                Value.newBuilder()
                                        .setNullValue(NullValue.NULL_VALUE)
                                        .build())
                        .putFields(
                                "l",
                                Value.newBuilder()
                                        .setListValue(ListValue.newBuilder()
                                                .addAllValues(List.of(
                                                        Value.newBuilder()
                                                                .setNumberValue(1)
                                                                .build(),
                                                        Value.newBuilder()
                                                                .setStringValue("two")
                                                                .build())))
                                        .build()))
                .build();

        DynamicMessage m =
                AnswerMessages.of(json("{\"n\":1.5,\"s\":\"x\",\"b\":true,\"z\":null,\"l\":[1,\"two\"]}"), VALUE);

        assertThat(Value.parseFrom(m.toByteString())).isEqualTo(expected);
        assertThat(Value.parseFrom(AnswerMessages.of(json("3"), VALUE).toByteString()))
                .isEqualTo(Value.newBuilder().setNumberValue(3).build());
    }

    @Test
    void aShapeTheTypeCannotHoldIsNamedByItsPath() throws Exception {
        assertThatThrownBy(
                        () -> AnswerMessages.of(json("{\"results\":[{\"label\":\"a\",\"score\":\"high\"}]}"), RESULTS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("$.results[0].score is string \"high\", not double");
        assertThatThrownBy(() -> AnswerMessages.of(json("{\"labels\":[]}"), RESULTS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("$.labels is not a field of caikit_data_model.nlp.ClassificationResults");
        assertThatThrownBy(() -> AnswerMessages.of(json("{\"results\":{}}"), RESULTS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("$.results is object {}, not an array");
        assertThatThrownBy(() -> AnswerMessages.of(json("[1]"), REGRESSION))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("$ is array [1], not kiln.runtime.RegressionResult");
    }
}
