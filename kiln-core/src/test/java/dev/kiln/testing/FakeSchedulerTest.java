package dev.kiln.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.time.Cancellable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fake time: tasks run when a test advances past their due time, in order, each seeing its own due time. */
class FakeSchedulerTest {
    private final FakeScheduler time = new FakeScheduler();
    private final Instant t0 = time.clock().instant();
    private final List<String> ran = new ArrayList<>();

    private Runnable record(String name) {
        return () -> ran.add(
                name + "@" + Duration.between(t0, time.clock().instant()).toSeconds());
    }

    @Test
    void runsDueTasksInTimeOrderAtTheirOwnTimes() {
        time.schedule(record("b"), Duration.ofSeconds(20));
        time.schedule(record("a"), Duration.ofSeconds(10));
        time.schedule(record("c"), Duration.ofSeconds(31));

        time.advance(Duration.ofSeconds(30));

        assertThat(ran).containsExactly("a@10", "b@20");
        assertThat(time.clock().instant()).isEqualTo(t0.plusSeconds(30));
        assertThat(time.pending()).isEqualTo(1);
    }

    @Test
    void repeatsAFixedDelayTaskUntilCancelled() {
        Cancellable poll = time.scheduleWithFixedDelay(record("poll"), Duration.ofSeconds(10));
        time.advance(Duration.ofSeconds(35));
        assertThat(ran).containsExactly("poll@10", "poll@20", "poll@30");

        poll.cancel();
        time.advance(Duration.ofMinutes(1));
        assertThat(ran).hasSize(3);
        assertThat(time.pending()).isZero();
    }

    @Test
    void aCancelledOrClosedTaskNeverRuns() {
        time.schedule(record("cancelled"), Duration.ofSeconds(1)).cancel();
        time.schedule(record("closed"), Duration.ofSeconds(1));
        time.close();
        time.schedule(record("late"), Duration.ofSeconds(1));

        time.advance(Duration.ofSeconds(5));

        assertThat(ran).isEmpty();
    }
}
