package dev.kiln.cli.client;

import dev.kiln.job.JobError;
import dev.kiln.server.api.ErrorDetail;
import dev.kiln.server.api.ProgressReport;
import dev.kiln.server.api.TrainingDetail;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A server training's log in the same lines as a local run's: submission, start, each progress report, the end with
 * its errors and their stacks, then the output the server captured from the training's worker.
 */
final class ServerLog {
    private ServerLog() {}

    /**
     * The log text.
     *
     * @param progress every progress report, in the order they came
     * @param output the captured worker output, possibly empty
     */
    static String render(TrainingDetail d, List<ProgressReport> progress, String output) {
        StringBuilder b = new StringBuilder();
        line(
                b,
                d.submissionTimestamp(),
                "SUBMITTED module=" + (d.module() == null ? "?" : d.module().name()) + " trainer=" + d.trainer());
        if (d.startTimestamp() != null) {
            line(b, d.startTimestamp(), "STARTED");
        }
        for (ProgressReport p : progress) {
            line(b, p.timestamp(), "PROGRESS " + p.step() + "/" + p.total() + metrics(p.metrics()));
        }
        if (d.state().isTerminal()) {
            StringBuilder end = new StringBuilder(d.state().name());
            if (d.savePath() != null) {
                end.append(" save_path=").append(d.savePath());
            }
            for (ErrorDetail detail : d.errors() == null ? List.<ErrorDetail>of() : d.errors()) {
                JobError e = ServerViews.error(detail);
                end.append('\n')
                        .append(e.kind())
                        .append(' ')
                        .append(e.type())
                        .append(": ")
                        .append(e.message());
                if (!e.stackText().isEmpty()) {
                    end.append('\n').append(e.stackText().stripTrailing());
                }
            }
            line(b, d.completionTimestamp(), end.toString());
        }
        if (output != null && !output.isEmpty()) {
            b.append("--- worker output ---\n").append(output).append(output.endsWith("\n") ? "" : "\n");
        }
        return b.toString();
    }

    private static void line(StringBuilder b, Object when, String text) {
        b.append(when == null ? "-" : when.toString()).append(' ').append(text).append('\n');
    }

    private static String metrics(Map<String, Double> metrics) {
        if (metrics == null || metrics.isEmpty()) {
            return "";
        }
        return " "
                + metrics.entrySet().stream()
                        .sorted(Map.Entry.comparingByKey())
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(" "));
    }
}
