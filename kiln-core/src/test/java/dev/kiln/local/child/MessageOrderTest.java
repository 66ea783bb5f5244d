package dev.kiln.local.child;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.job.JobError;
import dev.kiln.job.Progress;
import dev.kiln.worker.WorkerEvent;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageOrderTest {
    private static final Instant T = Instant.EPOCH;
    private final MessageOrder order = new MessageOrder();

    @Test
    void theUsualOrderIsAccepted() {
        assertThat(order.accept(new WorkerEvent.Heartbeat(T))).isNull();
        assertThat(order.accept(new WorkerEvent.Started(1, T))).isNull();
        assertThat(order.accept(new WorkerEvent.Progressed(new Progress(1, 2, Map.of(), T))))
                .isNull();
        assertThat(order.ended()).isFalse();
        assertThat(order.accept(new WorkerEvent.Completed(null, 0, 0, T))).isNull();
        assertThat(order.ended()).isTrue();
    }

    @Test
    void aFailureMayComeBeforeStarted() {
        assertThat(order.accept(new WorkerEvent.Failed(JobError.of(JobError.Kind.PROTOCOL, "bad spec"), T)))
                .isNull();
        assertThat(order.ended()).isTrue();
    }

    @Test
    void outOfOrderMessagesAreNamed() {
        assertThat(order.accept(new WorkerEvent.Completed(null, 0, 0, T)))
                .isEqualTo("a 'completed' message before 'started'");
        assertThat(order.accept(new WorkerEvent.Started(1, T))).isNull();
        assertThat(order.accept(new WorkerEvent.Started(1, T))).isEqualTo("a second 'started' message");
        assertThat(order.accept(new WorkerEvent.Cancelled(T))).isNull();
        assertThat(order.accept(new WorkerEvent.Heartbeat(T))).isEqualTo("a 'heartbeat' message after its final one");
    }
}
