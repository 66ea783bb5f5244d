package dev.kiln.local.child;

import dev.kiln.files.NoFollowPaths;
import dev.kiln.job.JobError;
import dev.kiln.json.Parameters;
import dev.kiln.local.runner.JobRunner;
import dev.kiln.local.runner.RunnerJob;
import dev.kiln.time.TrainerScheduler;
import dev.kiln.worker.BatchSpec;
import dev.kiln.worker.JobSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
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

    private final String trainerName;
    private final ChildJvmOptions options;
    private final boolean deleteResultsOnPurge;
    private final Path trainerDir;
    private final ExecutorService executor;
    private final TrainerScheduler scheduler;
    private final ClassDataArchive archive;
    private final WorkerSource workers;
    private final Set<ChildJob> active = ConcurrentHashMap.newKeySet();
    /** The jobs this runner started that the trainer still holds, until it purges them. */
    private final Map<RunnerJob, ChildJob> started = new ConcurrentHashMap<>();
    /** The working directories of a job's earlier attempts, deleted with the latest one's on purge. */
    private final Map<RunnerJob, List<Path>> earlierAttempts = new ConcurrentHashMap<>();

    private volatile boolean closed;

    /** A runner for the trainer of this name, configured by its settings, killing on the trainer's scheduler. */
    public ChildJvmRunner(String trainerName, ChildJvmSettings settings, TrainerScheduler scheduler) {
        this(trainerName, ChildJvmOptions.from(settings), settings.deleteResultsOnPurge(), scheduler);
    }

    /**
     * A runner with explicit options, for embedding and tests.
     *
     * @param scheduler where the kill after {@code cancel_grace_period} is timed: the trainer's scheduler
     */
    public ChildJvmRunner(
            String trainerName, ChildJvmOptions options, boolean deleteResultsOnPurge, TrainerScheduler scheduler) {
        this.trainerName = trainerName;
        this.scheduler = scheduler;
        this.options = options;
        this.deleteResultsOnPurge = deleteResultsOnPurge;
        this.trainerDir = options.workDir().toAbsolutePath().normalize().resolve(safeName(trainerName));
        this.executor = Executors.newCachedThreadPool(daemons("kiln-" + trainerName + "-child-"));
        this.archive = ClassDataArchive.forOptions(options);
        WorkerStarter starter = new WorkerStarter(options, archive);
        this.workers = options.startMethod() == StartMethod.FORKSERVER
                ? new WarmPool(starter, options.warmPoolSize(), options.warmPoolRefill(), this::execute)
                : new SpawnSource(starter);
        if (options.startMethod() == StartMethod.FORKSERVER) {
            execute(() -> ParentRehearsal.run(starter.scratch()));
        }
    }

    /** Runs a task on the runner's threads, or on a thread of its own once the runner is closed. */
    private void execute(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            Thread thread = new Thread(task, "kiln-" + trainerName + "-child-late");
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

    /**
     * Hands the job to an idle pre-started worker on the caller's thread, as its spec is only a pipe write away: a
     * hand-off to another thread would cost the job a wake-up. Without an idle worker, a JVM has to be started, so the
     * job is launched on the runner's threads and the caller does not wait for it.
     */
    @Override
    public void start(RunnerJob job) {
        ChildProcess idle = workers.takeIdle();
        if (idle != null) {
            launch(job, null, null, idle);
        } else {
            executor.execute(() -> launch(job, null, null, null));
        }
    }

    /**
     * Starts a batch prediction in a worker JVM of its own: the worker runs {@code batch} instead of training and
     * writes its results to the job's save path. The job reports back as a training does: progress per record,
     * {@link RunnerJob#succeeded} once the results are whole, {@link RunnerJob#failed} with the cause, then
     * {@link RunnerJob#workerFinished()}; {@link #stop} stops the worker as it stops a training's. With a
     * {@code dataBase}, the worker reads only data files that stay inside it once their links are resolved.
     */
    public void startBatch(RunnerJob job, BatchSpec batch, Path dataBase) {
        executor.execute(() -> launch(job, batch, dataBase, null));
    }

    /** Launches the job in {@code taken}, an idle worker already taken for it, or else in one acquired here. */
    private void launch(RunnerJob job, BatchSpec batch, Path dataBase, ChildProcess taken) {
        ChildProcess child = taken;
        try {
            Object parameters = job.parameters();
            if (job.isStopRequested() || parameters == null) {
                if (child != null) {
                    child.kill();
                    workers.jobFinished();
                }
                job.workerFinished();
                return;
            }
            JobDirectory dir = JobDirectory.create(trainerDir, job.id());
            job.saveTo(dir.model());
            Path savePath = job.savePath().orElseThrow().toAbsolutePath().normalize();
            String spec = (batch != null
                            ? JobSpec.batch(job.id(), batch, savePath, dir.path())
                                    .withDataBase(dataBase)
                            : new JobSpec(
                                            job.id(),
                                            job.module().id(),
                                            Parameters.toJson(parameters),
                                            savePath,
                                            dir.path(),
                                            job.checkpoints().directory(),
                                            job.checkpoints().keep())
                                    .withDataBase(
                                            Parameters.dataBase(parameters).orElse(null)))
                    .toJson();
            if (child == null) {
                child = workers.acquire();
            }
            ChildJob childJob = new ChildJob(job, child, dir, options, scheduler, this::finished);
            active.add(childJob);
            ChildJob earlier = started.put(job, childJob);
            if (earlier != null) {
                earlierAttempts
                        .computeIfAbsent(job, j -> new CopyOnWriteArrayList<>())
                        .add(earlier.directory());
            }
            childJob.begin(spec, this::execute);
        } catch (IOException | RuntimeException e) {
            if (child != null) {
                child.kill();
                workers.jobFinished();
            }
            job.failed(JobError.of(JobError.Kind.EXCEPTION, e));
            job.workerFinished();
        }
    }

    /** A job's worker has exited: it is no longer active, and its pool may start the next worker. */
    private void finished(ChildJob job) {
        active.remove(job);
        workers.jobFinished();
    }

    @Override
    public void stop(RunnerJob job) {
        ChildJob childJob = started.get(job);
        if (childJob != null) {
            childJob.stop();
        }
    }

    @Override
    public boolean requestCheckpoint(RunnerJob job) {
        ChildJob childJob = started.get(job);
        return childJob != null && childJob.requestCheckpoint();
    }

    @Override
    public String logs(RunnerJob job) {
        ChildJob childJob = started.get(job);
        return childJob != null ? childJob.logs() : "";
    }

    @Override
    public void purged(RunnerJob job) {
        ChildJob childJob = started.remove(job);
        List<Path> earlier = earlierAttempts.remove(job);
        if (childJob == null) {
            return;
        }
        if (earlier != null) {
            earlier.forEach(dir -> deleteUnlessItHoldsTheModel(job, dir));
        }
        deleteUnlessItHoldsTheModel(job, childJob.directory());
    }

    private void deleteUnlessItHoldsTheModel(RunnerJob job, Path dir) {
        boolean holdsModel = job.savePath().map(p -> p.startsWith(dir)).orElse(false);
        if (!holdsModel || deleteResultsOnPurge) {
            NoFollowPaths.deleteTree(dir);
        }
    }

    /** The working directory of a job with this id that this runner started, or null. */
    Path jobDirectory(String trainingId) {
        return startedJob(trainingId).map(ChildJob::directory).orElse(null);
    }

    /** The process id of the worker of a job with this id that this runner started, or 0. */
    long workerPid(String trainingId) {
        return startedJob(trainingId).map(ChildJob::pid).orElse(0L);
    }

    private Optional<ChildJob> startedJob(String trainingId) {
        return started.entrySet().stream()
                .filter(e -> e.getKey().id().equals(trainingId))
                .map(Map.Entry::getValue)
                .findFirst();
    }

    /** The process ids of the idle pre-started workers ({@code forkserver}); empty for {@code spawn}. */
    List<Long> idleWorkers() {
        return workers instanceof WarmPool pool ? pool.idlePids() : List.of();
    }

    /** How many pre-started workers are idle or starting ({@code forkserver}); 0 for {@code spawn}. */
    int heldWorkers() {
        return workers instanceof WarmPool pool ? pool.held() : 0;
    }

    /** Where the class-data archive for child JVMs is kept, or null when none is used. */
    Path classDataArchive() {
        return archive == null ? null : archive.path();
    }

    /**
     * Stops idle workers and waits for the running ones, which the trainer has already cancelled, for at most the
     * grace period (or five seconds for their exits to be handled, when the cancel killed them at once); those still
     * running then are killed with their descendants.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        workers.close();
        Duration grace = options.cancelGracePeriod();
        long deadline = System.nanoTime() + (grace.isZero() ? TimeUnit.SECONDS.toNanos(5) : grace.toNanos());
        for (ChildJob job : List.copyOf(active)) {
            job.awaitExit(Math.max(0, deadline - System.nanoTime()));
        }
        for (ChildJob job : List.copyOf(active)) {
            LOG.warn("Killing training process {} that did not stop within the grace period", job.pid());
            job.kill();
            job.awaitExit(TimeUnit.SECONDS.toNanos(5));
        }
        executor.shutdown();
    }
}
