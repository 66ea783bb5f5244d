package dev.kiln.cli.client;

import dev.kiln.job.Attempt;
import dev.kiln.job.JobError;
import dev.kiln.job.Progress;
import dev.kiln.module.ParameterSpec;
import dev.kiln.server.api.AttemptReport;
import dev.kiln.server.api.ErrorDetail;
import dev.kiln.server.api.ModuleSummary;
import dev.kiln.server.api.ParameterInfo;
import dev.kiln.server.api.ProgressReport;
import dev.kiln.server.api.TrainingDetail;
import dev.kiln.server.api.TrainingSummary;
import java.util.List;
import java.util.Map;

/** Turns what a Kiln server answers into the views the commands show. */
final class ServerViews {
    private ServerViews() {}

    /** A module as the server describes it. */
    static ModuleView module(ModuleSummary m) {
        List<ParameterSpec> parameters = m.parameters() == null
                ? List.of()
                : m.parameters().stream().map(ServerViews::parameter).toList();
        return new ModuleView(m.moduleId(), m.name(), m.version(), m.task(), parameters);
    }

    private static ParameterSpec parameter(ParameterInfo p) {
        return new ParameterSpec(
                p.name(),
                p.type(),
                p.javaType(),
                p.defaultValue(),
                p.required(),
                p.description() == null ? "" : p.description());
    }

    /** A training from the list or an event; its errors are only known by their messages, so none are given. */
    static TrainingSnapshot training(TrainingSummary s) {
        return new TrainingSnapshot(
                s.trainingId(),
                moduleName(s.module()),
                s.trainer(),
                s.state(),
                s.submissionTimestamp(),
                s.startTimestamp(),
                s.completionTimestamp(),
                progress(s.progress()),
                List.of(),
                s.savePath(),
                s.priority(),
                List.of());
    }

    /** A training with everything the server knows, its errors included. */
    static TrainingSnapshot training(TrainingDetail d) {
        List<JobError> errors = d.errors() == null
                ? List.of()
                : d.errors().stream().map(ServerViews::error).toList();
        return new TrainingSnapshot(
                d.trainingId(),
                moduleName(d.module()),
                d.trainer(),
                d.state(),
                d.submissionTimestamp(),
                d.startTimestamp(),
                d.completionTimestamp(),
                progress(d.progress()),
                errors,
                d.savePath(),
                d.priority(),
                d.attempts() == null
                        ? List.of()
                        : d.attempts().stream().map(ServerViews::attempt).toList());
    }

    /** An attempt the server recorded; an outcome this client does not know is shown as ERRORED. */
    static Attempt attempt(AttemptReport a) {
        Attempt.Outcome outcome;
        try {
            outcome = Attempt.Outcome.valueOf(a.outcome());
        } catch (IllegalArgumentException | NullPointerException e) {
            outcome = Attempt.Outcome.ERRORED;
        }
        return new Attempt(a.number(), a.started(), a.ended(), outcome, a.error() == null ? null : error(a.error()));
    }

    /** A progress report as the core's snapshot, or null. */
    static Progress progress(ProgressReport p) {
        if (p == null || p.timestamp() == null) {
            return null;
        }
        return new Progress(p.step(), p.total(), p.metrics() == null ? Map.of() : p.metrics(), p.timestamp());
    }

    /** An error the server recorded; a kind this client does not know is shown as an exception. */
    static JobError error(ErrorDetail e) {
        JobError.Kind kind;
        try {
            kind = JobError.Kind.valueOf(e.kind());
        } catch (IllegalArgumentException | NullPointerException unknown) {
            kind = JobError.Kind.EXCEPTION;
        }
        return new JobError(kind, e.type(), e.message(), e.stackText());
    }

    private static String moduleName(dev.kiln.server.api.ModuleRef module) {
        return module == null ? null : module.name();
    }
}
