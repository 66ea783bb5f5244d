package dev.kiln.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The production scheduler: a daemon thread started on the first task, never after close. */
class DaemonSchedulerTest {
    @Test
    void runsATaskOnADaemonThreadOfItsName() throws Exception {
        DaemonScheduler scheduler = new DaemonScheduler("kiln-test-timer");
        try {
            CountDownLatch ran = new CountDownLatch(1);
            Thread[] on = new Thread[1];
            scheduler.schedule(
                    () -> {
                        on[0] = Thread.currentThread();
                        ran.countDown();
                    },
                    Duration.ZERO);
            assertThat(ran.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(on[0].getName()).isEqualTo("kiln-test-timer");
            assertThat(on[0].isDaemon()).isTrue();
        } finally {
            scheduler.close();
        }
    }

    @Test
    void startsNoThreadUntilATaskIsScheduled() {
        DaemonScheduler scheduler = new DaemonScheduler("kiln-test-idle");
        assertThat(scheduler.started()).isFalse();
        scheduler.close();
    }

    @Test
    void aTaskScheduledAfterCloseNeverRunsAndStartsNoThread() throws Exception {
        DaemonScheduler scheduler = new DaemonScheduler("kiln-test-closed");
        scheduler.close();
        AtomicInteger runs = new AtomicInteger();

        Cancellable handle = scheduler.schedule(runs::incrementAndGet, Duration.ZERO);
        scheduler.scheduleWithFixedDelay(runs::incrementAndGet, Duration.ofNanos(1));
        handle.cancel();

        assertThat(scheduler.started()).as("no thread left behind").isFalse();
        assertThat(runs).hasValue(0);
    }
}
