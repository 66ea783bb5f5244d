package dev.kiln.slurm;

import dev.kiln.job.JobError;
import dev.kiln.job.JobInfo;
import dev.kiln.slurm.jobdir.SlurmJobDirectory;
import dev.kiln.slurm.jobdir.SlurmOutputTail;
import dev.kiln.slurm.scheduler.CommandResult;
import dev.kiln.slurm.scheduler.ProcessCommandRunner;
import dev.kiln.slurm.scheduler.SlurmTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What is known about one training of a failed Slurm test, as text: Kiln's view (status, attempt, errors), the
 * controller's ({@code scontrol show job}), every run of its Slurm job since the test began from the job-completion
 * log ({@code sacct -c}, one line per run, so a requeued job shows each), the end of its {@code slurm.out} and
 * {@code events.jsonl}, and the lines of slurmctld's and slurmd's logs that name the job when this process may read
 * them (slurmd says there why it would not launch a batch script). Each part that cannot be had says why instead.
 */
final class SlurmJobDiagnosis {
    private static final long OUTPUT_TAIL_BYTES = 8192;
    private static final long EVENTS_TAIL_BYTES = 4096;
    private static final int LOG_LINES = 40;
    private static final DateTimeFormatter SLURM_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
    private static final Pattern LOG_TIME = Pattern.compile("^\\[(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d)");

    private final SlurmTrainerSettings settings;
    private final SlurmTrainingJob job;
    private final String since;
    private final ProcessCommandRunner runner = new ProcessCommandRunner(Duration.ofSeconds(30));

    SlurmJobDiagnosis(SlurmTrainerSettings settings, SlurmTrainingJob job, Instant since) {
        this.settings = settings;
        this.job = job;
        this.since = SLURM_TIME.format(
                LocalDateTime.ofInstant(since.truncatedTo(ChronoUnit.SECONDS), ZoneId.systemDefault()));
    }

    /** The diagnosis. */
    String text() {
        JobInfo info = job.info();
        String slurmJobId = job.slurmJobId();
        StringBuilder b = new StringBuilder("=== Training ")
                .append(job.id())
                .append(": ")
                .append(info.status())
                .append(", attempt ")
                .append(job.attempt())
                .append(", Slurm job ")
                .append(slurmJobId)
                .append(" ===\n");
        for (JobError e : info.errors()) {
            b.append("error ").append(e.kind()).append(": ").append(e.message()).append('\n');
        }
        if (slurmJobId != null) {
            section(
                    b,
                    "scontrol -o show job " + slurmJobId,
                    command(tools().scontrol(), "-o", "show", "job", slurmJobId));
        }
        section(
                b,
                "its Slurm runs since " + since + " (sacct -c: JobID|JobName|State|ExitCode|Start|End|NodeList)",
                runs());
        SlurmJobDirectory dir = job.directory();
        section(b, dir.output() + " (end)", tail(dir.output(), OUTPUT_TAIL_BYTES));
        section(b, dir.events() + " (end)", tail(dir.events(), EVENTS_TAIL_BYTES));
        if (slurmJobId != null) {
            for (String log : List.of("SlurmctldLogFile", "SlurmdLogFile")) {
                section(b, log + " lines naming job " + slurmJobId + " since " + since, logLines(log, slurmJobId));
            }
        }
        return b.toString();
    }

    private SlurmTools tools() {
        return settings.tools();
    }

    private static void section(StringBuilder b, String title, String body) {
        b.append("--- ").append(title).append(" ---\n").append(body);
        if (!body.endsWith("\n")) {
            b.append('\n');
        }
    }

    /** Every run of a Slurm job with this training's job name that started since the test began. */
    private String runs() {
        String name = JobSubmitter.jobName(job.id());
        CommandResult result;
        try {
            result = runner.run(List.of(
                    tools().sacct(), "-c", "-P", "-n", "-o", "JobID,JobName,State,ExitCode,Start,End,NodeList"));
        } catch (IOException | InterruptedException e) {
            return "(sacct could not be run: " + e + ")";
        }
        if (!result.succeeded()) {
            return "(" + result.output().strip() + ")";
        }
        List<String> lines = result.stdout()
                .lines()
                .filter(l -> {
                    String[] f = l.split("\\|", -1);
                    return f.length > 4 && f[1].equals(name) && f[4].compareTo(since) >= 0;
                })
                .toList();
        return lines.isEmpty() ? "(none)" : String.join("\n", lines);
    }

    private String command(String... command) {
        try {
            CommandResult result = runner.run(List.of(command));
            return result.output().isBlank() ? "(no output, exit code " + result.exitCode() + ")" : result.output();
        } catch (IOException | InterruptedException e) {
            return "(could not be run: " + e + ")";
        }
    }

    private static String tail(Path file, long bytes) {
        try {
            String text = SlurmOutputTail.read(file, bytes);
            return text.isEmpty() ? "(empty or missing)" : text;
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** The lines since the test began of the daemon log {@code key} names in Slurm's configuration about the job. */
    private String logLines(String key, String slurmJobId) {
        Path log = configuredPath(key);
        if (log == null) {
            return "(" + key + " is not set in Slurm's configuration)";
        }
        Pattern naming = Pattern.compile("(JobId=|[Jj]ob |JOB |\\[)" + slurmJobId + "(?![0-9])");
        List<String> found = new ArrayList<>();
        try (Stream<String> lines = Files.lines(log)) {
            lines.filter(l -> naming.matcher(l).find() && !before(l)).forEach(l -> {
                found.add(l);
                if (found.size() > LOG_LINES) {
                    found.remove(0);
                }
            });
        } catch (IOException | RuntimeException e) {
            return "(" + log + " cannot be read here: " + e + ")";
        }
        return found.isEmpty() ? "(none in " + log + ")" : String.join("\n", found);
    }

    private boolean before(String logLine) {
        var m = LOG_TIME.matcher(logLine);
        return m.find() && m.group(1).compareTo(since) < 0;
    }

    private Path configuredPath(String key) {
        for (String line : command(tools().scontrol(), "show", "config").split("\n")) {
            String[] kv = line.split("=", 2);
            if (kv.length == 2 && kv[0].strip().equals(key)) {
                String value = kv[1].strip();
                return value.isEmpty() || value.equals("(null)") ? null : Path.of(value);
            }
        }
        return null;
    }
}
