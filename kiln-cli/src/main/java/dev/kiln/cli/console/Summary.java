package dev.kiln.cli.console;

import dev.kiln.cli.client.TrainingSnapshot;
import dev.kiln.job.Attempt;
import dev.kiln.job.JobError;
import dev.kiln.job.Progress;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Map;

/** Prints a training's state as a few aligned lines. */
public final class Summary {
    private Summary() {}

    /** Writes the summary of a training at {@code now}. */
    public static void print(PrintWriter out, TrainingSnapshot v, Instant now) {
        out.println("Training " + v.trainingId() + " " + v.state() + (v.state().isTerminal() ? " after " : " for ")
                + Formats.duration(v.duration(now)));
        row(out, "module", v.module());
        row(out, "trainer", v.trainer());
        Progress p = v.progress();
        if (p != null) {
            row(out, "progress", p.total() > 0 ? "epoch " + p.step() + "/" + p.total() : "step " + p.step());
            for (Map.Entry<String, Double> m : Formats.ordered(p.metrics()).entrySet()) {
                row(out, m.getKey(), Formats.number(m.getValue()));
            }
        }
        if (v.savePath() != null) {
            row(out, v.state() == dev.kiln.job.JobStatus.COMPLETED ? "saved to" : "save path", v.savePath());
        }
        for (JobError e : v.errors()) {
            row(out, "error", e.type() + ": " + e.message());
        }
        if (v.attempts().size() > 1) {
            for (Attempt a : v.attempts()) {
                row(out, "attempt " + a.number(), a.outcome() + (a.error() == null ? "" : " " + a.error()));
            }
        }
        out.flush();
    }

    private static void row(PrintWriter out, String key, String value) {
        out.printf("  %-14s %s%n", key, value);
    }
}
