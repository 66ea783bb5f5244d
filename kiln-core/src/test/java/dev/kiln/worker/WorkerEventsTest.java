package dev.kiln.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.data.DataSource;
import dev.kiln.data.DataStream;
import dev.kiln.data.FileSourcePolicy;
import dev.kiln.job.JobError;
import dev.kiln.job.Progress;
import dev.kiln.json.KilnJson;
import dev.kiln.json.Parameters;
import dev.kiln.testing.SampleModule;
import dev.kiln.testing.SampleRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerEventsTest {
    @TempDir
    Path tmp;

    private static final Instant T = Instant.parse("2026-01-02T03:04:05.678Z");

    private static WorkerEvent roundTrip(WorkerEvent event) throws ProtocolException {
        String line = WorkerEvents.write(event);
        assertThat(line).doesNotContain("\n");
        return WorkerEvents.parse(line);
    }

    @Test
    void everyEventRoundTrips() throws ProtocolException {
        assertThat(roundTrip(new WorkerEvent.Ready(1, 42))).isEqualTo(new WorkerEvent.Ready(1, 42));
        assertThat(roundTrip(new WorkerEvent.Started(42, T))).isEqualTo(new WorkerEvent.Started(42, T));
        WorkerEvent progress = new WorkerEvent.Progressed(new Progress(3, 10, Map.of("loss", 0.5), T));
        assertThat(roundTrip(progress)).isEqualTo(progress);
        assertThat(roundTrip(new WorkerEvent.Heartbeat(T))).isEqualTo(new WorkerEvent.Heartbeat(T));
        WorkerEvent completed = new WorkerEvent.Completed(Path.of("/models/m"), 12.5, 1.25, T);
        assertThat(roundTrip(completed)).isEqualTo(completed);
        WorkerEvent unsaved = new WorkerEvent.Completed(null, 0, 0, T);
        assertThat(roundTrip(unsaved)).isEqualTo(unsaved);
        WorkerEvent failed = new WorkerEvent.Failed(
                new JobError(
                        JobError.Kind.OUT_OF_MEMORY,
                        "java.lang.OutOfMemoryError",
                        "Java heap space\nwith a second line",
                        "at x.y(Z.java:1)\n"),
                T);
        assertThat(roundTrip(failed)).isEqualTo(failed);
        assertThat(roundTrip(new WorkerEvent.Cancelled(T))).isEqualTo(new WorkerEvent.Cancelled(T));
    }

    @Test
    void theWireFormatIsTheDocumentedOne() {
        assertThat(WorkerEvents.write(new WorkerEvent.Started(7, T)))
                .isEqualTo("{\"type\":\"started\",\"pid\":7,\"timestamp\":\"2026-01-02T03:04:05.678Z\"}");
        assertThat(WorkerEvents.write(new WorkerEvent.Cancelled(T)))
                .isEqualTo("{\"type\":\"cancelled\",\"timestamp\":\"2026-01-02T03:04:05.678Z\"}");
    }

    @Test
    void nonFiniteMetricsSurvive() throws ProtocolException {
        WorkerEvent.Progressed back = (WorkerEvent.Progressed) roundTrip(new WorkerEvent.Progressed(
                new Progress(1, 0, Map.of("loss", Double.NaN, "grad", Double.POSITIVE_INFINITY), T)));
        assertThat(back.progress().metrics().get("loss")).isNaN();
        assertThat(back.progress().metrics().get("grad")).isInfinite();
    }

    @Test
    void unknownFieldsAreIgnoredSoLaterVersionsCanAddSome() throws ProtocolException {
        assertThat(WorkerEvents.parse("{\"type\":\"heartbeat\",\"timestamp\":\"2026-01-02T03:04:05.678Z\",\"x\":1}"))
                .isEqualTo(new WorkerEvent.Heartbeat(T));
    }

    @Test
    void corruptOrUnexpectedLinesAreProtocolErrorsThatSayWhatIsWrong() {
        assertThatThrownBy(() -> WorkerEvents.parse("{not json"))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> WorkerEvents.parse("[1]")).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> WorkerEvents.parse("{\"type\":\"dance\"}"))
                .hasMessageContaining("unknown event type 'dance'");
        assertThatThrownBy(() -> WorkerEvents.parse("{\"type\":\"started\",\"timestamp\":\"2026-01-02T03:04:05Z\"}"))
                .hasMessageContaining("field 'pid' is missing");
        assertThatThrownBy(() -> WorkerEvents.parse("{\"type\":\"started\",\"pid\":\"x\",\"timestamp\":\"t\"}"))
                .hasMessageContaining("field 'pid' must be a whole number");
        assertThatThrownBy(() -> WorkerEvents.parse("{\"type\":\"cancelled\",\"timestamp\":\"yesterday\"}"))
                .hasMessageContaining("not an ISO-8601 instant");
        assertThatThrownBy(() -> WorkerEvents.parse("{\"type\":\"failed\",\"kind\":\"BAD\",\"error_type\":\"x\","
                        + "\"timestamp\":\"2026-01-02T03:04:05Z\"}"))
                .hasMessageContaining("unknown error kind 'BAD'");
    }

    @Test
    void pathsThatAreNotPathsAreProtocolErrorsNamingTheField() {
        assertThatThrownBy(() -> JobSpec.parse(
                        "{\"protocol\":1,\"training_id\":\"t\",\"module_id\":\"m\",\"save_path\":\"/a\\u0000b\"}",
                        "spec.json"))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("'save_path'")
                .hasMessageContaining("spec.json");
        assertThatThrownBy(() -> JobSpec.parse(
                        "{\"protocol\":1,\"training_id\":\"t\",\"module_id\":\"m\",\"job_dir\":\"\\ud800\"}",
                        "spec.json"))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("'job_dir'");
        assertThatThrownBy(() -> WorkerEvents.parse("{\"type\":\"completed\",\"save_path\":\"/m\\u0000\","
                        + "\"timestamp\":\"2026-01-02T03:04:05.678Z\"}"))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("'save_path'");
    }

    @Test
    void specsRoundTripAndNameTheFieldAtFault() throws ProtocolException {
        JobSpec spec = new JobSpec("t-1", "m-1", null, Path.of("/save"), Path.of("/work/t-1"));
        assertThat(JobSpec.parse(spec.toJson(), "test")).isEqualTo(spec);
        assertThatThrownBy(() -> JobSpec.parse("{\"protocol\":1,\"module_id\":\"m\"}", "spec.json"))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("Field 'training_id' of the job spec in spec.json is missing");
        assertThatThrownBy(() -> JobSpec.parse("{\"training_id\":\"t\",\"module_id\":\"m\"}", "spec.json"))
                .hasMessageContaining("has no protocol version");
        assertThatThrownBy(() -> JobSpec.parse(
                        "{\"protocol\":1,\"training_id\":\"t\",\"module_id\":\"m\"," + "\"parameters\":[]}",
                        "spec.json"))
                .hasMessageContaining("'parameters'");
    }

    @Test
    void theDataBaseTravelsWithTheSpecAndConfinesTheStreamsTheWorkerBinds() throws Exception {
        Path base = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(base.resolve("a.jsonl"), "{\"number\": 1, \"label\": \"a\"}\n");
        FileSourcePolicy policy = FileSourcePolicy.confinedTo(base);
        SampleModule.Params params = SampleModule.Params.defaults()
                .withTrainingData(DataStream.open(
                        policy.resolve(new DataSource.Directory(".", "jsonl")), SampleRecord.class, policy));
        assertThat(Parameters.dataBase(params)).contains(base.toAbsolutePath().normalize());
        assertThat(Parameters.dataBase(SampleModule.Params.defaults())).isEmpty();

        JobSpec spec = new JobSpec("t-1", "m-1", Parameters.toJson(params), null, null)
                .withDataBase(Parameters.dataBase(params).orElseThrow());
        JobSpec parsed = JobSpec.parse(spec.toJson(), "test");
        assertThat(parsed).isEqualTo(spec);
        assertThat(spec.toJson()).contains("\"data_base\"");

        Files.createSymbolicLink(base.resolve("b.jsonl"), Files.writeString(tmp.resolve("secret.jsonl"), "{}\n"));
        SampleModule.Params bound =
                Parameters.bind(SampleModule.Params.class, parsed.parameters(), "SampleModule", parsed.dataFiles());
        assertThatThrownBy(() -> bound.trainingData().toList())
                .hasMessageContaining("'b.jsonl'")
                .hasMessageContaining("outside the data directory");
    }

    @Test
    void aBatchSpecRoundTripsAndNeedsAPlaceForItsResults() throws ProtocolException {
        BatchSpec batch = new BatchSpec(
                Path.of("/models/spam"),
                "m-1",
                "text-classification",
                KilnJson.strict()
                        .createObjectNode()
                        .set("file", KilnJson.strict().createObjectNode().put("filename", "/d/a.jsonl")));
        JobSpec spec = JobSpec.batch("p-1", batch, Path.of("/results/p-1/results.jsonl"), Path.of("/work/p-1"));
        JobSpec parsed = JobSpec.parse(spec.toJson(), "test");
        assertThat(parsed).isEqualTo(spec);
        assertThat(parsed.predict()).isEqualTo(batch);
        assertThat(parsed.moduleId()).isEqualTo("m-1");

        String noResults = "{\"protocol\":1,\"training_id\":\"p\",\"module_id\":\"m\",\"predict\":"
                + "{\"model_path\":\"/m\",\"task\":\"t\",\"data_stream\":{\"data\":[]}}}";
        assertThatThrownBy(() -> JobSpec.parse(noResults, "spec.json"))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("has no 'save_path' for its results");
        String noTask = noResults
                .replace("\"task\":\"t\",", "")
                .replace("\"module_id\":\"m\",", "\"module_id\":\"m\",\"save_path\":\"/r\",");
        assertThatThrownBy(() -> JobSpec.parse(noTask, "spec.json"))
                .hasMessage("Field 'predict.task' of the job spec in spec.json must be a non-empty string");
    }
}
