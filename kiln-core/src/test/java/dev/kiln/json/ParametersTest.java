package dev.kiln.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import dev.kiln.module.Param;
import dev.kiln.module.ParameterSpec;
import dev.kiln.testing.SampleModel;
import dev.kiln.testing.SampleModule;
import dev.kiln.testing.SampleRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParametersTest {

    private static JsonNode json(String text) throws Exception {
        return KilnJson.strict().readTree(text);
    }

    @Test
    void specsNameTypeDefaultAndRequiredness() {
        List<ParameterSpec> specs = Parameters.specs(SampleModule.Params.class);
        assertThat(specs).extracting(ParameterSpec::name).startsWith("training_data", "batch_size", "sleep_time");
        ParameterSpec data = specs.get(0);
        assertThat(data.type()).isEqualTo("data_stream");
        assertThat(data.required()).isFalse();
        ParameterSpec batch = specs.get(1);
        assertThat(batch.type()).isEqualTo("integer");
        assertThat(batch.defaultValue().asInt()).isEqualTo(64);
        assertThat(batch.description()).contains("Batch size");
        assertThat(specs.stream()
                        .filter(s -> s.name().equals("base_model"))
                        .findFirst()
                        .orElseThrow()
                        .type())
                .isEqualTo("model");
    }

    @Test
    void defaultsFillMissingValues() throws Exception {
        SampleModule.Params p = Parameters.bind(SampleModule.Params.class, json("{\"batch_size\": 3}"), "SampleModule");
        assertThat(p.batchSize()).isEqualTo(3);
        assertThat(p.sleepIncrement()).isEqualTo(0.01);
        assertThat(p.trainingData()).isNull();
    }

    @Test
    void dataStreamsBindFromCaikitDescriptorsWithOrWithoutTheWrapper() throws Exception {
        SampleModule.Params direct = Parameters.bind(
                SampleModule.Params.class,
                json("{\"training_data\": {\"data\": [{\"number\": 4, \"label\": \"x\"}]}}"),
                "SampleModule");
        assertThat(direct.trainingData().toList()).containsExactly(new SampleRecord(4, "x"));
        SampleModule.Params wrapped = Parameters.bind(
                SampleModule.Params.class,
                json("{\"training_data\": {\"data_stream\": {\"data\": [{\"number\": 5, \"label\": \"y\"}]}}}"),
                "SampleModule");
        assertThat(wrapped.trainingData().toList()).containsExactly(new SampleRecord(5, "y"));
    }

    @Test
    void parametersRoundTripThroughJsonWithModelsAsBytes() {
        SampleModule.Params p = SampleModule.Params.defaults()
                .withBatchSize(9)
                .withTrainingData(dev.kiln.data.DataStream.of(new SampleRecord(1, "a")))
                .withBaseModel(new SampleModel(40, 2));
        ObjectNode json = Parameters.toJson(p);
        assertThat(json.get("base_model").has("model_bytes")).isTrue();
        SampleModule.Params back = Parameters.bind(SampleModule.Params.class, json, "SampleModule");
        assertThat(back.batchSize()).isEqualTo(9);
        assertThat(back.baseModel().batchSize()).isEqualTo(40);
        assertThat(back.trainingData().toList()).containsExactly(new SampleRecord(1, "a"));
    }

    @Test
    void anUnknownParameterIsNamed() {
        assertThatThrownBy(() -> Parameters.bind(SampleModule.Params.class, json("{\"batch\": 3}"), "SampleModule"))
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("Unknown parameter 'batch'")
                .hasMessageContaining("batch_size");
    }

    @Test
    void aWrongTypeIsNamed() {
        assertThatThrownBy(() ->
                        Parameters.bind(SampleModule.Params.class, json("{\"batch_size\": \"3\"}"), "SampleModule"))
                .hasMessageContaining("'batch_size'")
                .hasMessageContaining("integer");
        assertThatThrownBy(
                        () -> Parameters.bind(SampleModule.Params.class, json("{\"batch_size\": 2.5}"), "SampleModule"))
                .hasMessageContaining("'batch_size'");
        assertThatThrownBy(() -> Parameters.bind(
                        SampleModule.Params.class, json("{\"training_data\": {\"s3\": {}}}"), "SampleModule"))
                .hasMessageContaining("'training_data'")
                .hasMessageContaining("s3");
    }

    /** Parameters with a required field, for the missing-value case. */
    record Required(@Param(required = true) String name, int count) {}

    @Test
    void aMissingRequiredValueIsNamed() {
        assertThatThrownBy(() -> Parameters.bind(Required.class, json("{\"count\": 1}"), "M"))
                .hasMessageContaining("Missing required parameter 'name'");
        assertThatThrownBy(() -> Parameters.bind(Required.class, json("{\"name\": \"x\"}"), "M"))
                .hasMessageContaining("Missing required parameter 'count'");
        assertThatThrownBy(() -> Parameters.bind(Required.class, json("[1]"), "M"))
                .hasMessageContaining("must be a JSON object");
    }
}
