package dev.kiln.slurm;

import dev.kiln.slurm.scheduler.CommandResult;
import dev.kiln.slurm.scheduler.CommandRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Slurm's command-line tools as an in-memory stand-in that prints what the real ones print (as measured on Slurm
 * 22.05), for tests of the trainer's logic that need no cluster: tests set job states by hand.
 */
final class FakeSlurm implements CommandRunner {
    /** One job as the controller holds it. */
    static final class Job {
        final String id;
        final String name;
        final String script;
        volatile String state = "PENDING";
        volatile String exitCode = "0:0";
        volatile String reason = "None";
        volatile int restarts;

        Job(String id, String name, String script) {
            this.id = id;
            this.name = name;
            this.script = script;
        }
    }

    final Map<String, Job> controller = new LinkedHashMap<>();
    final Map<String, Job> completionLog = new LinkedHashMap<>();
    final List<List<String>> calls = new CopyOnWriteArrayList<>();
    volatile String sbatchError;
    volatile String sbatchOutput;
    volatile boolean controllerDown;
    volatile boolean scancelFails;
    private int nextId = 100;

    @Override
    public synchronized CommandResult run(List<String> command) throws IOException {
        calls.add(List.copyOf(command));
        String program = Path.of(command.get(0)).getFileName().toString();
        if (controllerDown && !program.equals("sacct")) {
            return new CommandResult(
                    command, 1, "", program + ": error: Unable to contact slurm controller (connect failure)\n");
        }
        return switch (program) {
            case "sbatch" -> sbatch(command);
            case "scontrol" -> scontrol(command);
            case "sacct" -> sacct(command);
            case "scancel" -> scancel(command);
            case "squeue" -> squeue(command);
            default -> throw new IOException("Cannot run program \"" + command.get(0) + "\": error=2, No such file");
        };
    }

    private CommandResult sbatch(List<String> command) {
        if (sbatchError != null) {
            return new CommandResult(command, 1, "", sbatchError);
        }
        if (sbatchOutput != null) {
            return new CommandResult(command, 0, sbatchOutput, "");
        }
        String id = String.valueOf(nextId++);
        String name = command.stream()
                .filter(a -> a.startsWith("--job-name="))
                .findFirst()
                .orElse("=sbatch")
                .split("=", 2)[1];
        controller.put(id, new Job(id, name, command.get(command.size() - 1)));
        return new CommandResult(command, 0, id + "\n", "");
    }

    private CommandResult scontrol(List<String> command) {
        if (command.contains("ping")) {
            return new CommandResult(command, 0, "Slurmctld(primary) at localhost is UP\n", "");
        }
        if (controller.isEmpty()) {
            return new CommandResult(command, 0, "No jobs in the system\n", "");
        }
        StringBuilder out = new StringBuilder();
        for (Job j : controller.values()) {
            out.append("JobId=")
                    .append(j.id)
                    .append(" JobName=")
                    .append(j.name)
                    .append(" UserId=root(0) GroupId=root(0) MCS_label=N/A Priority=4294901759 Nice=0")
                    .append(" Account=(null) QOS=(null) JobState=")
                    .append(j.state)
                    .append(" Reason=")
                    .append(j.reason)
                    .append(" Dependency=(null) Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=")
                    .append(j.exitCode)
                    .append(" RunTime=00:00:00 TimeLimit=UNLIMITED Command=")
                    .append(j.script)
                    .append(" WorkDir=/tmp Power= \n");
        }
        return new CommandResult(command, 0, out.toString(), "");
    }

    private CommandResult sacct(List<String> command) {
        if (!command.contains("-c")) {
            return new CommandResult(
                    command, 1, "", "sacct: error: Problem talking to the database: Connection refused\n");
        }
        String[] ids = command.get(command.indexOf("-j") + 1).split(",");
        StringBuilder out = new StringBuilder();
        for (String id : ids) {
            Job j = completionLog.get(id);
            if (j != null) {
                out.append(j.id)
                        .append('|')
                        .append(j.state)
                        .append('|')
                        .append(j.exitCode)
                        .append("|2026-11-28T18:30:48|2026-11-28T18:30:48\n");
            }
        }
        return new CommandResult(command, 0, out.toString(), "");
    }

    private CommandResult scancel(List<String> command) {
        if (scancelFails) {
            return new CommandResult(
                    command,
                    1,
                    "",
                    "scancel: error: Kill job error on job id " + command.get(1) + ": Access/permission denied\n");
        }
        Job j = controller.get(command.get(1));
        if (j != null && !List.of("COMPLETED", "FAILED", "CANCELLED", "TIMEOUT").contains(j.state)) {
            j.state = "CANCELLED";
            j.exitCode = "0:15";
        }
        return new CommandResult(command, 0, "", "");
    }

    private CommandResult squeue(List<String> command) {
        if (command.contains("-j")) {
            return squeueJobs(command);
        }
        String name = command.get(command.indexOf("-n") + 1);
        StringBuilder out = new StringBuilder();
        for (Job j : controller.values()) {
            if (j.name.equals(name)) {
                out.append(j.id).append('|').append(j.script).append('\n');
            }
        }
        return new CommandResult(command, 0, out.toString(), "");
    }

    /** {@code squeue -h -t all -j IDS -O JobID:|,State:|,Reason:|,RestartCnt:|,exit_code}, the exit code as a wait status. */
    private CommandResult squeueJobs(List<String> command) {
        StringBuilder out = new StringBuilder();
        for (String id : command.get(command.indexOf("-j") + 1).split(",")) {
            Job j = controller.get(id);
            if (j != null) {
                String[] exit = j.exitCode.split(":");
                int status = Integer.parseInt(exit[0]) << 8 | Integer.parseInt(exit[1]);
                out.append(j.id)
                        .append('|')
                        .append(j.state)
                        .append('|')
                        .append(j.reason)
                        .append('|')
                        .append(j.restarts)
                        .append('|')
                        .append(String.format("%-20d", status))
                        .append('\n');
            }
        }
        if (out.length() == 0) {
            return new CommandResult(command, 1, "", "slurm_load_jobs error: Invalid job id specified\n");
        }
        return new CommandResult(command, 0, out.toString(), "");
    }

    /** Sets a job's state as the controller reports it. */
    synchronized void set(String id, String state, String exitCode, String reason) {
        Job j = controller.get(id);
        j.state = state;
        j.exitCode = exitCode;
        j.reason = reason;
    }

    /** Requeues a job as {@code scontrol requeue} does: pending again, its restart count one higher. */
    synchronized void requeue(String id) {
        Job j = controller.get(id);
        j.state = "PENDING";
        j.reason = "BeginTime";
        j.restarts++;
    }

    /** Moves a finished job from the controller to the completion log, as MinJobAge does. */
    synchronized void purge(String id) {
        completionLog.put(id, controller.remove(id));
    }

    /** Makes Slurm forget a job entirely. */
    synchronized void forget(String id) {
        controller.remove(id);
        completionLog.remove(id);
    }

    /** How many times a tool was called. */
    long count(String program) {
        return calls.stream()
                .filter(c -> Path.of(c.get(0)).getFileName().toString().equals(program))
                .count();
    }

    /** The calls of one tool, in order. */
    List<List<String>> callsOf(String program) {
        List<List<String>> out = new ArrayList<>();
        for (List<String> c : calls) {
            if (Path.of(c.get(0)).getFileName().toString().equals(program)) {
                out.add(c);
            }
        }
        return out;
    }
}
