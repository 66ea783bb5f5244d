package dev.kiln.slurm.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading {@code scontrol -o show job} as Slurm 22.05 prints it. */
class ScontrolJobsParserTest {
    private static final String FAILED = "JobId=1 JobName=wrap UserId=root(0) GroupId=root(0) MCS_label=N/A"
            + " Priority=4294901759 Nice=0 Account=(null) QOS=(null) JobState=FAILED Reason=NonZeroExitCode"
            + " Dependency=(null) Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=3:0 RunTime=00:00:00"
            + " TimeLimit=UNLIMITED TimeMin=N/A SubmitTime=2026-11-28T18:30:47 EligibleTime=2026-11-28T18:30:47"
            + " AccrueTime=2026-11-28T18:30:47 StartTime=2026-11-28T18:30:48 EndTime=2026-11-28T18:30:48"
            + " Deadline=N/A SuspendTime=None SecsPreSuspend=0 LastSchedEval=2026-11-28T18:30:48 Scheduler=Main"
            + " Partition=debug AllocNode:Sid=localhost:4083 ReqNodeList=(null) ExcNodeList=(null) NodeList=localhost"
            + " BatchHost=localhost NumNodes=1 NumCPUs=1 NumTasks=1 CPUs/Task=1 ReqB:S:C:T=0:0:*:*"
            + " TRES=cpu=1,node=1,billing=1 Socks/Node=* NtasksPerN:B:S:C=0:0:*:* CoreSpec=* MinCPUsNode=1"
            + " MinMemoryNode=0 MinTmpDiskNode=0 Features=(null) DelayBoot=00:00:00 OverSubscribe=OK Contiguous=0"
            + " Licenses=(null) Network=(null) Command=(null) WorkDir=/tmp/sx StdErr=/tmp/sx/1.out StdIn=/dev/null"
            + " StdOut=/tmp/sx/1.out Power= ";
    private static final String RUNNING = "JobId=2 JobName=wrap UserId=root(0) GroupId=root(0) MCS_label=N/A"
            + " Priority=4294901758 Nice=0 Account=(null) QOS=(null) JobState=RUNNING Reason=None Dependency=(null)"
            + " Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=0:0 RunTime=00:00:01 TimeLimit=UNLIMITED"
            + " StartTime=2026-11-28T18:30:48 EndTime=Unknown Command=/work/my job/job.sh"
            + " WorkDir=/work/my job Comment=a comment with JobState=COMPLETED inside StdOut=/x Power= ";
    private static final String TIMEOUT = "JobId=4 JobName=wrap UserId=root(0) GroupId=root(0) Account=(null)"
            + " QOS=(null) JobState=TIMEOUT Reason=TimeLimit Dependency=(null) ExitCode=0:15 RunTime=00:01:18"
            + " TimeLimit=00:01:00";

    @Test
    void readsStateExitCodeAndReasonOfEveryJob() {
        Map<String, SlurmJobStatus> jobs = ScontrolJobsParser.parse(FAILED + "\n" + RUNNING + "\n" + TIMEOUT + "\n");

        assertThat(jobs).containsOnlyKeys("1", "2", "4");
        assertThat(jobs.get("1")).isEqualTo(new SlurmJobStatus("1", SlurmState.FAILED, "FAILED", new ExitCode(3, 0),
                "NonZeroExitCode"));
        assertThat(jobs.get("2")).isEqualTo(new SlurmJobStatus("2", SlurmState.RUNNING, "RUNNING", ExitCode.ZERO,
                null));
        assertThat(jobs.get("4").state()).isEqualTo(SlurmState.TIMEOUT);
        assertThat(jobs.get("4").exitCode()).isEqualTo(new ExitCode(0, 15));
        assertThat(jobs.get("4").reason()).isEqualTo("TimeLimit");
    }

    @Test
    void valuesWithSpacesEndOnlyAtTheNextKeyAndTheFirstOccurrenceWins() {
        Map<String, String> fields = ScontrolJobsParser.fields(RUNNING.strip());

        assertThat(fields).containsEntry("Command", "/work/my job/job.sh").containsEntry("WorkDir", "/work/my job")
                .containsEntry("JobState", "RUNNING").containsEntry("Power", "");
        assertThat(fields.get("Comment")).isEqualTo("a comment with");
    }

    @Test
    void anEmptyClusterHasNoJobs() {
        assertThat(ScontrolJobsParser.parse("No jobs in the system\n")).isEmpty();
        assertThat(ScontrolJobsParser.parse("")).isEmpty();
    }
}
