package dev.kiln.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.server.testing.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OpenAPI document describes the serving routes: inference, prediction jobs, models and batches. */
class ServingOpenApiTest {
    @TempDir
    Path tmp;

    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(tmp, "");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void everyServingRouteIsDescribedWithItsMethodsAndSchemas() {
        JsonNode doc = server.http().get("/openapi.json").json();
        JsonNode paths = doc.get("paths");

        assertThat(paths.get("/api/v1/task/sample").fieldNames()).toIterable().containsExactly("post");
        assertThat(paths.get("/api/v1/task/sample/job").fieldNames())
                .toIterable()
                .containsExactlyInAnyOrder("post", "get", "delete");
        assertThat(paths.get("/api/v1/task/sample/job/results").fieldNames())
                .toIterable()
                .containsExactly("get");
        assertThat(paths.get("/info/models").fieldNames()).toIterable().containsExactly("get");
        assertThat(paths.get("/management/models").fieldNames())
                .toIterable()
                .containsExactlyInAnyOrder("post", "delete");
        assertThat(paths.get("/management/trainings/{id}/model")
                        .get("get")
                        .get("responses")
                        .get("200")
                        .get("content")
                        .has("application/zip"))
                .isTrue();
        assertThat(paths.get("/management/predictions").fieldNames())
                .toIterable()
                .containsExactlyInAnyOrder("get", "post");
        assertThat(paths.get("/management/predictions/{id}").fieldNames())
                .toIterable()
                .containsExactlyInAnyOrder("get", "delete");
        assertThat(paths.get("/management/predictions/{id}/results")
                        .get("get")
                        .get("responses")
                        .get("200")
                        .get("content")
                        .has("application/x-ndjson"))
                .isTrue();

        JsonNode job = paths.get("/api/v1/task/sample/job");
        assertThat(ref(job.get("post").get("responses").get("200"))).isEqualTo("PredictionJob");
        assertThat(ref(job.get("get").get("responses").get("200"))).isEqualTo("PredictionJobStatusResponse");
        assertThat(job.get("get").get("parameters").get(0).get("name").asText()).isEqualTo("prediction_id");

        JsonNode schemas = doc.get("components").get("schemas");
        assertThat(schemas.get("PredictionJob").get("properties").fieldNames())
                .toIterable()
                .containsExactly("prediction_id");
        assertThat(schemas.get("PredictionJobStatusResponse").get("properties").fieldNames())
                .toIterable()
                .containsExactlyInAnyOrder(
                        "prediction_id", "state", "submission_timestamp", "completion_timestamp", "reasons");
        assertThat(schemas.get("ModelInfo").get("properties").fieldNames())
                .toIterable()
                .containsExactlyInAnyOrder(
                        "name", "model_path", "size", "loaded", "metadata", "module_id", "module_metadata");
    }

    @Test
    void taskRouteNamesFollowCaikitsKebabRule() {
        assertThat(OpenApiDocument.taskRouteName("TextClassificationTask")).isEqualTo("text-classification");
        assertThat(OpenApiDocument.taskRouteName("TabularRegressionTask")).isEqualTo("tabular-regression");
        assertThat(OpenApiDocument.taskRouteName("SampleTask")).isEqualTo("sample");
    }

    private static String ref(JsonNode response) {
        String ref = response.get("content")
                .get("application/json")
                .get("schema")
                .get("$ref")
                .asText();
        return ref.substring(ref.lastIndexOf('/') + 1);
    }
}
