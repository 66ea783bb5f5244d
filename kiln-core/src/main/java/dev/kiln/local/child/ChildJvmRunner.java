package dev.kiln.local.child;

import dev.kiln.job.JobError;
import dev.kiln.local.JobRunner;
import dev.kiln.local.LocalModelTrainer;
import dev.kiln.local.LocalTrainingJob;
import dev.kiln.local.StartMethod;
import dev.kiln.model.ModelFormat;
import dev.kiln.module.Parameters;
import dev.kiln.trainer.ModelFuture;
import dev.kiln.worker.JobSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each LOCAL job in a worker JVM of its own ({@code use_subprocess: true}), so a training can be truly killed
 * and cannot take the trainer's JVM down with it. Jobs without a save path save into their job directory, so
 * {@code load()} works for them too; that directory goes when the job is purged.
 */
public final class ChildJvmRunner implements JobRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ChildJvmRunner.class);

    private final LocalModelTrainer trainer;
    private final ChildJvmOptions options;
    private final Path trainerDir;
    private final ExecutorService executor;
    private final ScheduledExecutorService timer;
    private final ClassDataArchive archive;
    private final WorkerSource workers;
    private final Set<ChildJob> active = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** A runner configured by the trainer's settings. */
    public ChildJvmRunner(LocalModelTrainer trainer) {
        this(trainer, ChildJvmOptions.from(trainer.settings()));
    }

    /** A runner with explicit options, for embedding and tests. */
    public ChildJvmRunner(LocalModelTrainer trainer, ChildJvmOptions options) {
        this.trainer = trainer;
        this.options = options;
        this.trainerDir = options.workDir().toAbsolutePath().normalize().resolve(safeName(trainer.name()));
        this.executor = Executors.newCachedThreadPool(daemons("kiln-" + trainer.name() + "-child-"));
        ScheduledThreadPoolExecutor scheduler =
                new ScheduledThreadPoolExecutor(1, daemons("kiln-" + trainer.name() + "-child-timer-"));
        scheduler.setRemoveOnCancelPolicy(true);
        this.timer = scheduler;
        this.archive = ClassDataArchive.forOptions(options);
        WorkerStarter starter = new WorkerStarter(options, archive);
        this.workers = options.startMethod() == StartMethod.FORKSERVER
                ? new WarmPool(starter, options.warmPoolSize(), this::execute)
                : new SpawnSource(starter);
    }

    /** Runs a task on the runner's threads, or on a thread of its own once the runner is closed. */
    private void execute(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            Thread thread = new Thread(task, "kiln-" + trainer.name() + "-child-late");
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** A trainer's name as a directory name; never hidden, so it cannot clash with {@code .class-data}. */
    private static String safeName(String name) {
        String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.isEmpty() || safe.startsWith(".") ? "_" + safe : safe;
    }

    private static ThreadFactory daemons(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** The options child JVMs are started with. */
    public ChildJvmOptions options() {
        return options;
    }

    @Override
    public void start(LocalTrainingJob job) {
        executor.execute(() -> launch(job));
    }

    private void launch(LocalTrainingJob job) {
        ChildProcess child = null;
        try {
            Object parameters = job.parameters();
            if (job.isStopRequested() || parameters == null) {
                job.workerFinished();
                return;
            }
            JobDirectory dir = JobDirectory.create(trainerDir, job.id());
            job.saveTo(dir.model());
            Path savePath = job.savePath().orElseThrow().toAbsolutePath().normalize();
            String spec = new JobSpec(
                            job.id(),
                            job.module().id(),
                            Parameters.toJson(parameters),
                            savePath,
                            dir.path(),
                            job.checkpoints().directory(),
                            trainer.settings().checkpoints().keep())
                    .toJson();
            child = workers.acquire();
            ChildJob childJob = new ChildJob(job, child, dir, options, timer, active::remove);
            active.add(childJob);
            job.handle(childJob);
            childJob.begin(spec, this::execute);
        } catch (IOException | RuntimeException e) {
            if (child != null) {
                child.kill();
            }
            job.failed(JobError.of(JobError.Kind.EXCEPTION, e));
            job.workerFinished();
        }
    }

    @Override
    public void stop(LocalTrainingJob job) {
        if (job.handle() instanceof ChildJob childJob) {
            childJob.stop();
        }
    }

    @Override
    public String logs(LocalTrainingJob job) {
        return job.handle() instanceof ChildJob childJob ? childJob.logs() : "";
    }

    @Override
    public void purged(LocalTrainingJob job) {
        if (!(job.handle() instanceof ChildJob childJob)) {
            return;
        }
        Path dir = childJob.directory();
        boolean holdsModel = job.savePath().map(p -> p.startsWith(dir)).orElse(false);
        if (!holdsModel || trainer.settings().deleteResultsOnPurge()) {
            ModelFormat.deleteRecursively(dir);
        }
    }

    /** The working directory of a job this runner started, or null. */
    Path jobDirectory(ModelFuture future) {
        return future instanceof LocalTrainingJob job && job.handle() instanceof ChildJob childJob
                ? childJob.directory()
                : null;
    }

    /** The process id of the worker of a job this runner started, or 0. */
    long workerPid(ModelFuture future) {
        return future instanceof LocalTrainingJob job && job.handle() instanceof ChildJob childJob ? childJob.pid() : 0;
    }

    /** The process ids of the idle pre-started workers ({@code forkserver}); empty for {@code spawn}. */
    List<Long> idleWorkers() {
        return workers instanceof WarmPool pool ? pool.idlePids() : List.of();
    }

    /** Where the class-data archive for child JVMs is kept, or null when none is used. */
    Path classDataArchive() {
        return archive == null ? null : archive.path();
    }

    /**
     * Stops idle workers and waits for the running ones, which the trainer has already cancelled, for at most the
     * grace period; those still running then are killed with their descendants.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        workers.close();
        long deadline = System.nanoTime() + options.cancelGracePeriod().toNanos();
        for (ChildJob job : List.copyOf(active)) {
            job.awaitExit(Math.max(0, deadline - System.nanoTime()));
        }
        for (ChildJob job : List.copyOf(active)) {
            LOG.warn("Killing training process {} that did not stop within the grace period", job.pid());
            job.kill();
            job.awaitExit(TimeUnit.SECONDS.toNanos(5));
        }
        timer.shutdownNow();
        executor.shutdown();
    }
}
