package dev.kiln.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kiln.job.JobError;
import dev.kiln.job.Progress;
import dev.kiln.testing.FuzzBudget;
import dev.kiln.testing.Mutations;
import dev.kiln.worker.JobSpec;
import dev.kiln.worker.ProtocolException;
import dev.kiln.worker.WorkerEvent;
import dev.kiln.worker.WorkerEvents;
import dev.kiln.worker.WorkerProtocol;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * The worker protocol's decoding over mutated frames: an event line or a job spec either decodes or is refused with
 * a {@link ProtocolException} that says what is wrong, never another exception.
 */
@AddLifecycleHook(FuzzBudget.class)
class WorkerProtocolFuzzTest {
    private static final Instant NOW = Instant.parse("2026-12-06T03:00:00Z");
    private static final List<WorkerEvent> EVENTS = List.of(
            new WorkerEvent.Ready(WorkerProtocol.VERSION, 42),
            new WorkerEvent.Started(42, NOW),
            new WorkerEvent.Progressed(new Progress(3, 10, Map.of("loss", 0.5, "acc", Double.NaN), NOW)),
            new WorkerEvent.Heartbeat(NOW),
            new WorkerEvent.Completed(Path.of("/models/m"), 12.5, 3, NOW),
            new WorkerEvent.Failed(new JobError(JobError.Kind.EXCEPTION, "java.lang.X", "boom", "at x"), NOW),
            new WorkerEvent.Cancelled(NOW));
    private static final String SPEC = new JobSpec(
                    "t-1",
                    "sample-module",
                    JsonNodeFactory.instance.objectNode().put("steps", 3),
                    Path.of("/models/m"),
                    Path.of("/jobs/t-1"),
                    Path.of("/jobs/t-1/checkpoints"),
                    2)
            .toJson();

    @Provide
    Arbitrary<String> eventLines() {
        return Arbitraries.of(EVENTS).map(WorkerEvents::write).flatMap(line -> Mutations.ofText(line, 3));
    }

    @Provide
    Arbitrary<String> specs() {
        return Mutations.ofText(SPEC, 3);
    }

    @Property(tries = 400)
    void anEventLineDecodesOrIsRefusedSayingWhy(@ForAll("eventLines") String line) {
        try {
            WorkerEvent event = WorkerEvents.parse(line);
            assertThat(WorkerEvents.parse(WorkerEvents.write(event))).isEqualTo(event);
        } catch (ProtocolException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 300)
    void aJobSpecDecodesOrIsRefusedNamingWhereItCameFrom(@ForAll("specs") String json) {
        try {
            JobSpec spec = JobSpec.parse(json, "spec.json");
            assertThat(JobSpec.parse(spec.toJson(), "spec.json")).isEqualTo(spec);
        } catch (ProtocolException e) {
            assertThat(e.getMessage()).contains("spec.json");
        }
    }

    @Example
    void theSeedsDecode() throws ProtocolException {
        for (WorkerEvent event : EVENTS) {
            assertThat(WorkerEvents.parse(WorkerEvents.write(event))).isNotNull();
        }
        assertThat(JobSpec.parse(SPEC, "spec.json").trainingId()).isEqualTo("t-1");
    }
}
