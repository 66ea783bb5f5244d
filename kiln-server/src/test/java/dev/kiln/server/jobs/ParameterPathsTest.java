package dev.kiln.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.data.DataStream;
import dev.kiln.data.FileSourcePolicy;
import dev.kiln.error.KilnException;
import dev.kiln.json.KilnJson;
import dev.kiln.module.Param;
import dev.kiln.testing.SampleModel;
import dev.kiln.testing.SampleRecord;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParameterPathsTest {
    record Params(
            DataStream<SampleRecord> train,
            List<DataStream<SampleRecord>> folds,
            SampleModel base,
            @Param(defaultValue = "3") int epochs) {}

    @TempDir
    Path tmp;

    private ParameterPaths paths() {
        return new ParameterPaths(
                new SubmissionPolicy(tmp.resolve("out"), true, FileSourcePolicy.confinedTo(tmp.resolve("data"))));
    }

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) KilnJson.strict().readTree(text);
    }

    @Test
    void resolvesStreamsInListsAndUnwrapsCaikitsWrapper() throws Exception {
        ObjectNode out = paths().confine(Params.class, json("""
                {"train": {"data_stream": {"file": {"filename": "a.jsonl"}}},
                 "folds": [{"file": {"filename": "f1.jsonl"}}, {"data_stream": {"data": [{"number": 1}]}}],
                 "base": {"model_path": "run/model"}}"""), "M");
        assertThat(out.get("train").get("file").get("filename").asText())
                .isEqualTo(tmp.resolve("data/a.jsonl").toString());
        assertThat(out.get("folds").get(0).get("file").get("filename").asText())
                .isEqualTo(tmp.resolve("data/f1.jsonl").toString());
        assertThat(out.get("folds").get(1).get("data").get(0).get("number").asInt())
                .isEqualTo(1);
        assertThat(out.get("base").get("model_path").asText())
                .isEqualTo(tmp.resolve("out/run/model").toString());
    }

    @Test
    void refusesEscapesInListsNamingTheParameter() throws Exception {
        assertThatThrownBy(() -> paths().confine(
                                Params.class,
                                json(
                                        "{\"folds\": [{\"file\": {\"filename\": \"ok.jsonl\"}}, {\"file\": {\"filename\": \"../x\"}}]}"),
                                "M"))
                .isInstanceOf(KilnException.class)
                .hasMessageContaining("parameter 'folds' of module M")
                .hasMessageContaining("escapes");
        assertThatThrownBy(() -> paths().confine(Params.class, json("{\"base\": {\"model_path\": \"../../m\"}}"), "M"))
                .hasMessageContaining("parameter 'base'");
    }

    @Test
    void theRecordKeepsDefaultsAndLeavesModelBytesOut() throws Exception {
        ObjectNode kept = ParameterPaths.forRecord(Params.class, json("{\"base\": {\"model_bytes\": \"QUJD\"}}"));
        assertThat(kept.get("epochs").asInt()).isEqualTo(3);
        assertThat(kept.get("base").get("model_bytes").asText()).contains("4 base64 characters, not kept");
    }
}
