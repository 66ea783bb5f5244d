package dev.kiln.slurm.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.error.ErrorCode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The command lines Kiln runs and how it reads their results, with scripted outputs. */
class SlurmCommandsTest {
    private final List<List<String>> calls = new ArrayList<>();
    private final SlurmTools tools = new SlurmTools("/s/sbatch", "/s/squeue", "/s/scontrol", "/s/scancel", "/s/sacct");

    private SlurmCommands answering(Function<List<String>, CommandResult> answers) {
        return new SlurmCommands(tools, command -> {
            calls.add(command);
            return answers.apply(command);
        });
    }

    private static CommandResult ok(List<String> command, String stdout) {
        return new CommandResult(command, 0, stdout, "");
    }

    @Test
    void sacctFallsBackToTheAccountingDatabaseForJobsTheCompletionLogLacks() {
        SlurmCommands commands =
                answering(c -> c.contains("-c") ? ok(c, "1|COMPLETED|0:0|a|b\n") : ok(c, "2|FAILED|1:0|a|b\n"));

        Map<String, SlurmJobStatus> found = commands.finishedJobs(List.of("1", "2", "3"));

        assertThat(found).containsOnlyKeys("1", "2");
        assertThat(calls)
                .containsExactly(
                        List.of("/s/sacct", "-c", "-j", "1,2,3", "-P", "-n", "-o", "JobID,State,ExitCode,Start,End"),
                        List.of("/s/sacct", "-X", "-j", "1,2,3", "-P", "-n", "-o", "JobID,State,ExitCode,Start,End"));
    }

    @Test
    void sacctWithoutADatabaseIsFineWhenTheCompletionLogAnswers() {
        SlurmCommands commands = answering(c -> c.contains("-c")
                ? ok(c, "")
                : new CommandResult(c, 1, "", "sacct: error: Problem talking to the database"));

        assertThat(commands.finishedJobs(List.of("7"))).isEmpty();
    }

    @Test
    void sacctFailsOnlyWhenNeitherSourceAnswers() {
        SlurmCommands commands = answering(c -> new CommandResult(c, 1, "", "sacct: error: no"));

        assertThatThrownBy(() -> commands.finishedJobs(List.of("7")))
                .isInstanceOf(SlurmCommandException.class)
                .hasMessageStartingWith("Slurm command '/s/sacct -c -j 7 ");
    }

    @Test
    void showJobsAsksSqueueForTheGivenJobsOnlyAndReadsTheirExitAsSlurmPrintsIt() {
        SlurmCommands commands = answering(c -> ok(
                c, "2|CANCELLED|None|0|15                  \n" + "1|FAILED|NonZeroExitCode|1|768                 \n"));

        Map<String, SlurmJobStatus> jobs = commands.showJobs(List.of("1", "2"));

        assertThat(calls)
                .containsExactly(List.of(
                        "/s/squeue",
                        "-h",
                        "-t",
                        "all",
                        "-j",
                        "1,2",
                        "-O",
                        "JobID:|,State:|,Reason:|,RestartCnt:|,exit_code"));
        assertThat(jobs.get("1"))
                .isEqualTo(
                        new SlurmJobStatus("1", SlurmState.FAILED, "FAILED", new ExitCode(3, 0), "NonZeroExitCode", 1));
        assertThat(jobs.get("2"))
                .isEqualTo(new SlurmJobStatus("2", SlurmState.CANCELLED, "CANCELLED", new ExitCode(0, 15), null, 0));
    }

    @Test
    void showJobsSplitsALongListOfIdsIntoSeveralCalls() {
        List<String> ids = IntStream.rangeClosed(1, SlurmCommands.IDS_PER_QUERY * 2 + 1)
                .mapToObj(String::valueOf)
                .toList();
        SlurmCommands commands = answering(c -> {
            String first = c.get(c.indexOf("-j") + 1).split(",")[0];
            return ok(c, first + "|RUNNING|None|0|0\n");
        });

        Map<String, SlurmJobStatus> jobs = commands.showJobs(ids);

        assertThat(calls).hasSize(3);
        assertThat(calls)
                .allSatisfy(c -> assertThat(c.get(c.indexOf("-j") + 1).split(",").length)
                        .isLessThanOrEqualTo(SlurmCommands.IDS_PER_QUERY));
        assertThat(jobs)
                .containsOnlyKeys(
                        "1",
                        String.valueOf(SlurmCommands.IDS_PER_QUERY + 1),
                        String.valueOf(SlurmCommands.IDS_PER_QUERY * 2 + 1));
    }

    @Test
    void showJobsOfJobsTheControllerNoLongerHoldsIsEmptyNotAnError() {
        SlurmCommands commands =
                answering(c -> new CommandResult(c, 1, "", "slurm_load_jobs error: Invalid job id specified\n"));

        assertThat(commands.showJobs(List.of("99999"))).isEmpty();
        assertThat(commands.showJobs(List.of())).isEmpty();
        assertThat(calls).hasSize(1);
    }

    @Test
    void aCommandThatCannotStartIsUnavailableAndNamed() {
        SlurmCommands commands = new SlurmCommands(tools, c -> {
            throw new IOException("Cannot run program \"/s/squeue\": error=2, No such file or directory");
        });

        assertThatThrownBy(() -> commands.showJobs(List.of("5")))
                .isInstanceOfSatisfying(SlurmCommandException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                    assertThat(e.result()).isNull();
                })
                .hasMessage(
                        "Slurm command '/s/squeue -h -t all -j 5 -O JobID:|,State:|,Reason:|,RestartCnt:|,exit_code'"
                                + " could"
                                + " not be run: Cannot run program \"/s/squeue\": error=2, No such file or directory");
    }

    @Test
    void aFailureQuotesWhatTheCommandPrinted() {
        SlurmCommands commands = answering(c -> new CommandResult(
                c, 1, "", "slurm_load_jobs error: Unable to contact slurm controller (connect failure)\n"));

        assertThatThrownBy(() -> commands.showJobs(List.of("5")))
                .hasMessage("Slurm command '/s/squeue -h -t all"
                        + " -j 5 -O JobID:|,State:|,Reason:|,RestartCnt:|,exit_code' failed with exit code 1: slurm_load_jobs error:"
                        + " Unable to contact slurm controller (connect failure)");
    }

    @Test
    void findJobMatchesTheScriptNotJustTheName() {
        SlurmCommands commands = answering(c -> ok(c, "5|/other/job.sh\n6|/w/x/job.sh\n"));

        assertThat(commands.findJob("kiln-x", Path.of("/w/x/job.sh"))).contains("6");
        assertThat(commands.findJob("kiln-x", Path.of("/w/y/job.sh"))).isEmpty();
        assertThat(calls.get(0)).containsExactly("/s/squeue", "-h", "-t", "all", "-n", "kiln-x", "-o", "%i|%o");
    }

    @Test
    void pingWantsAControllerThatIsUp() {
        assertThatThrownBy(() -> answering(c -> ok(c, "Slurmctld(primary) at ctl is DOWN\n"))
                        .ping())
                .hasMessageContaining("no controller that is UP");
        answering(c -> ok(c, "Slurmctld(primary) at ctl is UP\n")).ping();
    }
}
