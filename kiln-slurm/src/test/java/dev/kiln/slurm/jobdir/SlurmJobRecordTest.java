package dev.kiln.slurm.jobdir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.job.JobError;
import dev.kiln.job.JobInfo;
import dev.kiln.job.JobStatus;
import dev.kiln.module.ModuleDescriptor;
import dev.kiln.trainer.TrainOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job record round-trips through its file and tolerates fields it does not know. */
class SlurmJobRecordTest {
    @TempDir
    Path tmp;

    private static final ModuleDescriptor MODULE =
            new ModuleDescriptor("id-1", "Sample", "1.0", "Task", "com.example.Sample");

    @Test
    void roundTripsWithErrorsTimesAndOptions() throws Exception {
        SlurmJobDirectory dir = new SlurmJobDirectory(Files.createDirectories(tmp.resolve("t")));
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        // a Slurm job's record keeps no attempts (its JobInfo has none)
        JobInfo finished = new JobInfo(
                "t",
                JobStatus.ERRORED,
                List.of(new JobError(JobError.Kind.SCHEDULER, "SCHEDULER", "ended TIMEOUT", "tail")),
                t0,
                t0.plusSeconds(1),
                t0.plusSeconds(2),
                null);
        SlurmJobRecord record = SlurmJobRecord.submitting(
                        JobInfo.queued("t", t0),
                        MODULE,
                        TrainOptions.saveTo(Path.of("/m"))
                                .withSaveWithId(true)
                                .withExternalTrainingId("t")
                                .withModelName("n"),
                        Path.of("/m/t/n"),
                        false,
                        List.of("--partition=a"))
                .withSlurmJobId("12")
                .withInfo(finished)
                .withSlurmResult("TIMEOUT", "0:15");

        record.writeTo(dir);
        SlurmJobRecord read = SlurmJobRecord.read(dir.record());

        assertThat(read).isEqualTo(record);
        assertThat(read.info()).isEqualTo(finished);
        assertThat(read.options().toTrainOptions()).isEqualTo(new TrainOptions(Path.of("/m"), true, "t", "n"));
        assertThat(read.savePathAsPath()).isEqualTo(Path.of("/m/t/n"));
        try (var files = Files.list(dir.path())) {
            assertThat(files).containsExactly(dir.record());
        }
    }

    @Test
    void fieldsFromANewerVersionAreIgnored() throws Exception {
        Path file = tmp.resolve("job.json");
        Files.writeString(
                file,
                "{\"format\":2,\"training_id\":\"t\",\"slurm_job_id\":\"5\",\"module\":{\"id\":\"i\","
                        + "\"name\":\"n\",\"version\":\"v\",\"task\":\"t\",\"module_class\":\"c\"},\"options\":{},"
                        + "\"status\":\"RUNNING\",\"submitted\":\"2026-01-01T00:00:00Z\",\"something_new\":[1]}");

        SlurmJobRecord read = SlurmJobRecord.read(file);

        assertThat(read.slurmJobId()).isEqualTo("5");
        assertThat(read.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(read.errors()).isEmpty();
    }

    @Test
    void aFileThatIsNotARecordNamesTheFile() throws Exception {
        Path file = tmp.resolve("job.json");
        Files.writeString(file, "{\"training_id\":\"t\"}");

        assertThatThrownBy(() -> SlurmJobRecord.read(file))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("Job record " + file + " is not a valid job record");
    }

    @Test
    void theTailOfTheOutputStartsAtALine() throws Exception {
        Path out = tmp.resolve("slurm.out");
        Files.writeString(out, "first line\nsecond line\nthird\n");

        assertThat(SlurmOutputTail.read(out, 1000)).isEqualTo("first line\nsecond line\nthird\n");
        assertThat(SlurmOutputTail.read(out, 15)).isEqualTo("third\n");
        assertThat(SlurmOutputTail.read(tmp.resolve("none"), 15)).isEmpty();
    }
}
