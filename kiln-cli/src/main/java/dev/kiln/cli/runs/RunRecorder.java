package dev.kiln.cli.runs;

import dev.kiln.cli.client.TrainingSnapshot;
import dev.kiln.job.Attempt;
import dev.kiln.job.JobError;
import dev.kiln.job.JobInfo;
import dev.kiln.job.Progress;
import dev.kiln.trainer.JobEvent;
import dev.kiln.trainer.JobListener;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes a run record and log lines for every event of the trainings of this process. */
public final class RunRecorder implements JobListener {
    private static final Logger LOG = LoggerFactory.getLogger(RunRecorder.class);

    private final RunStore store;
    private final java.util.Set<String> ended = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public RunRecorder(RunStore store) {
        this.store = store;
    }

    @Override
    public void onEvent(JobEvent event) {
        try {
            synchronized (event.future()) {
                boolean terminal = event.info().status().isTerminal();
                if (!terminal && ended.contains(event.future().id())) {
                    return;
                }
                if (terminal && !ended.add(event.future().id())) {
                    return;
                }
                store.write(RunRecord.ownedByThisProcess(TrainingSnapshot.of(event.future(), event.info())));
                store.appendLog(event.future().id(), line(event));
                if (event.kind() == JobEvent.Kind.FINISHED) {
                    String output = event.future().logs();
                    if (output != null && !output.isEmpty()) {
                        store.appendLog(
                                event.future().id(),
                                "--- worker output ---\n" + output + (output.endsWith("\n") ? "" : "\n"));
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn(
                    "Could not record {} of training {}: {}",
                    event.kind(),
                    event.future().id(),
                    e.toString());
        }
    }

    private static String line(JobEvent event) {
        JobInfo info = event.info();
        StringBuilder b = new StringBuilder().append(Instant.now()).append(' ');
        switch (event.kind()) {
            case SUBMITTED ->
                b.append("SUBMITTED module=")
                        .append(event.future().module().name())
                        .append(" trainer=")
                        .append(event.future().trainerName());
            case STARTED -> b.append("STARTED");
            case PROGRESS -> b.append("PROGRESS ").append(progress(info.progress()));
            case RETRYING -> {
                Attempt failed = info.currentAttempt();
                b.append("RETRYING after attempt ").append(failed.number());
                if (failed.error() != null) {
                    b.append(": ")
                            .append(failed.error().kind())
                            .append(' ')
                            .append(failed.error().message());
                }
            }
            case FINISHED -> {
                b.append(info.status());
                event.future().savePath().ifPresent(p -> b.append(" save_path=").append(p));
                for (JobError e : info.errors()) {
                    b.append('\n')
                            .append(e.kind())
                            .append(' ')
                            .append(e.type())
                            .append(": ")
                            .append(e.message());
                    if (!e.stackText().isEmpty()) {
                        b.append('\n').append(e.stackText().stripTrailing());
                    }
                }
            }
            default -> b.append(event.kind());
        }
        return b.append('\n').toString();
    }

    private static String progress(Progress p) {
        if (p == null) {
            return "";
        }
        String metrics = p.metrics().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
        return p.step() + "/" + p.total() + (metrics.isEmpty() ? "" : " " + metrics);
    }
}
