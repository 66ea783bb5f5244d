package dev.kiln.slurm;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * Makes a failing Slurm test explain itself: when a test (or its {@code @AfterEach}) fails, the failure message gains
 * a {@link SlurmJobDiagnosis} of every training of the trainers {@link SlurmCluster#trainer} made for it, so a job
 * that ended unexpectedly shows its output, events, each run's Slurm state and what slurmd and slurmctld logged about
 * it. Registered for every test of this module through {@code META-INF/services} (JUnit's extension auto-detection);
 * trainers are collected per test thread, which is where JUnit runs a test and its callbacks.
 */
public final class SlurmJobReport
        implements BeforeEachCallback,
                AfterEachCallback,
                TestExecutionExceptionHandler,
                LifecycleMethodExecutionExceptionHandler {
    private static final ThreadLocal<Watch> CURRENT = new ThreadLocal<>();

    /** The trainers of the test running on this thread, and when it began. */
    private record Watch(Instant began, List<SlurmModelTrainer> trainers) {}

    /** Reports on {@code trainer}'s trainings if the test running on this thread fails. */
    static void follow(SlurmModelTrainer trainer) {
        Watch watch = CURRENT.get();
        if (watch != null) {
            watch.trainers().add(trainer);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        CURRENT.set(new Watch(Instant.now(), new ArrayList<>()));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        CURRENT.remove();
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw explained(failure);
    }

    @Override
    public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw explained(failure);
    }

    /** The failure with the diagnosis of the current test's trainings appended, or itself when there is none. */
    static Throwable explained(Throwable failure) {
        Watch watch = CURRENT.get();
        if (failure instanceof TestAbortedException || watch == null) {
            return failure;
        }
        String report = report(watch.trainers(), watch.began());
        if (report.isEmpty()) {
            return failure;
        }
        AssertionError explained = new AssertionError(failure.getMessage() + "\n\n" + report, failure);
        explained.setStackTrace(failure.getStackTrace());
        return explained;
    }

    /** The diagnosis of every training of {@code trainers}, each Slurm run since {@code since} included. */
    static String report(List<SlurmModelTrainer> trainers, Instant since) {
        StringBuilder b = new StringBuilder();
        for (SlurmModelTrainer trainer : trainers) {
            trainer.list().forEach(f -> {
                b.append(b.isEmpty() ? "" : "\n");
                b.append(new SlurmJobDiagnosis(trainer.settings(), (SlurmTrainingJob) f, since).text());
            });
        }
        return b.toString();
    }
}
