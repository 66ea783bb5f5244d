package dev.kiln.trainer.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import dev.kiln.job.JobInfo;
import dev.kiln.job.JobState;
import dev.kiln.job.JobStatus;
import dev.kiln.module.Model;
import dev.kiln.module.ModuleDescriptor;
import dev.kiln.trainer.ModelFuture;
import dev.kiln.trainer.TrainOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JobTableTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void anIdThatIsStillRunningCannotBeClaimedAgain() {
        JobTable<Job> table = new JobTable<>(null);
        Job running = new Job("run-1", T0);
        assertThat(table.claim(running)).isNull();

        assertThatThrownBy(() -> table.claim(new Job("run-1", T0.plusSeconds(1))))
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
                .hasMessageContaining("run-1");
        assertThat(table.get("run-1")).containsSame(running);
    }

    @Test
    void aFinishedJobIsReplacedAndComesBackWhenTheClaimIsTakenBack() {
        JobTable<Job> table = new JobTable<>(null);
        Job first = new Job("run-1", T0);
        table.claim(first);
        first.end(T0.plusSeconds(1));

        Job second = new Job("run-1", T0.plusSeconds(2));
        assertThat(table.claim(second)).isSameAs(first);
        assertThat(table.get("run-1")).containsSame(second);

        table.unclaim(second, first);
        assertThat(table.get("run-1")).containsSame(first);
    }

    @Test
    void listsTheLatestSubmittedFirst() {
        JobTable<Job> table = new JobTable<>(null);
        Job a = new Job("a", T0.plusSeconds(2));
        Job b = new Job("b", T0);
        Job c = new Job("c", T0.plusSeconds(1));
        List.of(a, b, c).forEach(table::claim);
        assertThat(table.newestFirst()).containsExactly(a, c, b);
    }

    @Test
    void aPurgeThatFoundNothingDueSkipsTheQueueUntilTheOldestJobIsDue() {
        JobTable<Job> table = new JobTable<>(Duration.ofMinutes(10));
        Job first = new Job("first", T0);
        table.claim(first);
        first.end(T0);
        table.finished(first);
        List<Job> purged = new ArrayList<>();

        table.purgeExpired(T0.plusSeconds(60), purged::add); // examines the oldest: due at T0 + 10 min
        long examined = table.purgeExamined();
        table.purgeExpired(T0.plusSeconds(599), purged::add);
        assertThat(purged).isEmpty();
        assertThat(table.purgeExamined()).isEqualTo(examined);

        table.purgeExpired(T0.plusSeconds(600), purged::add);
        assertThat(purged).containsExactly(first);

        Job second = new Job("second", T0.plusSeconds(700)); // the queue was empty: a new job is looked at again
        table.claim(second);
        second.end(T0.plusSeconds(700));
        table.finished(second);
        table.purgeExpired(T0.plusSeconds(1300), purged::add);
        assertThat(purged).containsExactly(first, second);
        assertThat(table.get("second")).isEmpty();
    }

    @Test
    void purgesOnlyJobsPastTheRetentionOldestFirstAndExaminesOneMore() {
        JobTable<Job> table = new JobTable<>(Duration.ofMinutes(10));
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Job job = new Job("j" + i, T0);
            table.claim(job);
            job.end(T0.plusSeconds(60L * i));
            table.finished(job);
            jobs.add(job);
        }
        List<Job> purged = new ArrayList<>();
        table.purgeExpired(T0.plusSeconds(60 * 12), purged::add); // j0..j2 ended 10 minutes ago or more

        assertThat(purged).containsExactly(jobs.get(0), jobs.get(1), jobs.get(2));
        assertThat(table.get("j2")).isEmpty();
        assertThat(table.get("j3")).isPresent();
        assertThat(table.purgeExamined()).isEqualTo(4);
    }

    @Test
    void aJobReplacedUnderItsIdIsNotHandedToThePurge() {
        JobTable<Job> table = new JobTable<>(Duration.ofMinutes(1));
        Job old = new Job("same", T0);
        table.claim(old);
        old.end(T0);
        table.finished(old);
        Job fresh = new Job("same", T0.plusSeconds(5));
        table.claim(fresh);

        List<Job> purged = new ArrayList<>();
        table.purgeExpired(T0.plusSeconds(3600), purged::add);
        assertThat(purged).isEmpty();
        assertThat(table.get("same")).containsSame(fresh);
    }

    @Test
    void withoutARetentionNothingIsPurged() {
        JobTable<Job> table = new JobTable<>(null);
        Job job = new Job("kept", T0);
        table.claim(job);
        job.end(T0);
        table.finished(job);
        table.purgeExpired(T0.plus(Duration.ofDays(3650)), j -> {
            throw new AssertionError("purged " + j.id());
        });
        assertThat(table.get("kept")).isPresent();
    }

    @Test
    void jobsFoundAlreadyEndedArePurgedInTheOrderTheyEnded() {
        JobTable<Job> table = new JobTable<>(Duration.ofMinutes(1));
        Job late = new Job("late", T0);
        Job early = new Job("early", T0);
        late.end(T0.plusSeconds(30));
        early.end(T0.plusSeconds(10));
        table.add(late);
        table.add(early);
        table.finishedEarlier(List.of(late, early));

        List<Job> purged = new ArrayList<>();
        table.purgeExpired(T0.plusSeconds(3600), purged::add);
        assertThat(purged).containsExactly(early, late);
    }

    /** A job with nothing but an id and a state. */
    private static final class Job implements ModelFuture {
        private final String id;
        private final JobState state;

        Job(String id, Instant submitted) {
            this.id = id;
            this.state = new JobState(JobInfo.queued(id, submitted), null);
        }

        void end(Instant at) {
            state.start(at);
            state.finish(JobStatus.COMPLETED, List.of(), at);
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String trainerName() {
            return "test";
        }

        @Override
        public ModuleDescriptor module() {
            throw new UnsupportedOperationException();
        }

        @Override
        public TrainOptions options() {
            return TrainOptions.none();
        }

        @Override
        public JobInfo info() {
            return state.get();
        }

        @Override
        public void cancel() {
            state.finish(JobStatus.CANCELED, List.of(), Instant.now());
        }

        @Override
        public JobInfo await() throws InterruptedException {
            return state.await();
        }

        @Override
        public JobInfo await(Duration timeout) throws InterruptedException {
            return state.await(timeout);
        }

        @Override
        public Model load() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<Path> savePath() {
            return Optional.empty();
        }
    }
}
