package dev.kiln.server.testing;

import dev.kiln.config.TrainerConfig;
import dev.kiln.error.KilnException;
import dev.kiln.job.JobInfo;
import dev.kiln.job.JobStatus;
import dev.kiln.job.Progress;
import dev.kiln.modelformat.ModelFormat;
import dev.kiln.module.Model;
import dev.kiln.module.ModuleDescriptor;
import dev.kiln.module.ModuleType;
import dev.kiln.testing.SampleModel;
import dev.kiln.trainer.JobEvent;
import dev.kiln.trainer.JobListener;
import dev.kiln.trainer.ModelFuture;
import dev.kiln.trainer.ModelTrainer;
import dev.kiln.trainer.TrainOptions;
import dev.kiln.trainer.TrainerProvider;
import dev.kiln.trainer.base.SavePaths;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for a batch scheduler, for tests without one: its jobs outlive the trainers (and servers) that submit
 * them, any trainer made on it finds every job, and the test moves jobs through their states by hand. A job's model is
 * a {@link SampleModel}, saved when the test completes the job.
 */
public final class FakeCluster {
    private static final Map<String, FakeCluster> REGISTERED = new ConcurrentHashMap<>();

    private final Clock clock;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final List<Trainer> trainers = new CopyOnWriteArrayList<>();

    public FakeCluster(Clock clock) {
        this.clock = clock;
    }

    /**
     * A new cluster that trainers configured with {@code import_class: dev.kiln.server.testing.FakeCluster$Provider}
     * and {@code config: {cluster: <key>}} run on; {@link #unregister} forgets it.
     */
    public static FakeCluster register(String key, Clock clock) {
        FakeCluster cluster = new FakeCluster(clock);
        REGISTERED.put(key, cluster);
        return cluster;
    }

    /** Forgets the cluster registered under {@code key}. */
    public static void unregister(String key) {
        REGISTERED.remove(key);
    }

    /** Makes trainers on the registered cluster that their {@code cluster} config key names. */
    public static final class Provider implements TrainerProvider {
        @Override
        public String type() {
            return "CLUSTER";
        }

        @Override
        public ModelTrainer create(TrainerConfig config) {
            String key = config.config().string("cluster").orElseThrow();
            FakeCluster cluster = REGISTERED.get(key);
            if (cluster == null) {
                throw new IllegalStateException("No fake cluster is registered as " + key);
            }
            return cluster.trainer(config.name());
        }
    }

    /** A new trainer on this cluster, as a restarted process would make it: it finds every job the cluster has. */
    public ModelTrainer trainer(String name) {
        Trainer t = new Trainer(name);
        trainers.add(t);
        return t;
    }

    /** The job's state as the cluster holds it. */
    public JobInfo info(String id) {
        return job(id).info();
    }

    /** Starts a queued job. */
    public void start(String id) {
        Job job = job(id);
        job.update(job.info().running(clock.instant()));
        fire(JobEvent.Kind.STARTED, job);
    }

    /** Reports progress of a running job. */
    public void progress(String id, long step, long total) {
        Job job = job(id);
        job.update(job.info().withProgress(new Progress(step, total, Map.of(), clock.instant())));
        fire(JobEvent.Kind.PROGRESS, job);
    }

    /** Saves the job's model and completes it. */
    public void complete(String id) {
        Job job = job(id);
        ModelFormat.save(new SampleModel(7, 3), job.savePath, id);
        job.update(job.info().finished(JobStatus.COMPLETED, List.of(), clock.instant()));
        fire(JobEvent.Kind.FINISHED, job);
    }

    /** The cluster loses every trace of the job, so no trainer finds it any more. */
    public void forget(String id) {
        jobs.remove(id);
    }

    private Job job(String id) {
        Job job = jobs.get(id);
        if (job == null) {
            throw new IllegalArgumentException("The cluster has no job " + id);
        }
        return job;
    }

    private void fire(JobEvent.Kind kind, Job job) {
        JobInfo info = job.info();
        for (Trainer t : trainers) {
            if (!t.closed && t.name.equals(job.trainer)) {
                t.fire(kind, t.future(job), info);
            }
        }
    }

    /** One job, shared by every trainer on the cluster. */
    private static final class Job {
        final String trainer;
        final ModuleDescriptor module;
        final TrainOptions options;
        final Path savePath;
        private JobInfo info;

        Job(String trainer, ModuleDescriptor module, TrainOptions options, Path savePath, JobInfo info) {
            this.trainer = trainer;
            this.module = module;
            this.options = options;
            this.savePath = savePath;
            this.info = info;
        }

        synchronized JobInfo info() {
            return info;
        }

        synchronized void update(JobInfo next) {
            info = next;
            notifyAll();
        }

        synchronized JobInfo await(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!info.status().isTerminal()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                wait(Math.max(1, left / 1_000_000));
            }
            return info;
        }
    }

    /** A trainer on the cluster: its jobs outlive it, and closing it leaves them running. */
    private final class Trainer implements ModelTrainer {
        final String name;
        final List<JobListener> listeners = new CopyOnWriteArrayList<>();
        volatile boolean closed;

        Trainer(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String type() {
            return "CLUSTER";
        }

        @Override
        public <P> ModelFuture train(ModuleType<P, ?> module, P parameters, TrainOptions options) {
            String id = options.externalTrainingId() != null
                    ? options.externalTrainingId()
                    : UUID.randomUUID().toString();
            Job job = new Job(
                    name,
                    module.descriptor(),
                    options,
                    SavePaths.resolve(options.savePath(), options.saveWithId(), id, options.modelName()),
                    JobInfo.queued(id, clock.instant()));
            Job existing = jobs.putIfAbsent(id, job);
            if (existing != null) {
                throw KilnException.conflict("The cluster already has job " + id);
            }
            ModelFuture f = future(job);
            fire(JobEvent.Kind.SUBMITTED, f, job.info());
            return f;
        }

        @Override
        public Optional<ModelFuture> find(String trainingId) {
            Job job = jobs.get(trainingId);
            return job == null || !job.trainer.equals(name) ? Optional.empty() : Optional.of(future(job));
        }

        @Override
        public List<ModelFuture> list() {
            List<ModelFuture> all = new ArrayList<>();
            jobs.values().stream().filter(j -> j.trainer.equals(name)).forEach(j -> all.add(future(j)));
            return all;
        }

        @Override
        public void addListener(JobListener listener) {
            listeners.add(listener);
        }

        @Override
        public boolean jobsOutliveProcess() {
            return true;
        }

        @Override
        public void close() {
            closed = true;
        }

        void fire(JobEvent.Kind kind, ModelFuture f, JobInfo info) {
            listeners.forEach(l -> l.onEvent(new JobEvent(kind, f, info)));
        }

        ModelFuture future(Job job) {
            return new Future(this, job);
        }
    }

    /** A trainer's view of a job. */
    private final class Future implements ModelFuture {
        private final Trainer trainer;
        private final Job job;

        Future(Trainer trainer, Job job) {
            this.trainer = trainer;
            this.job = job;
        }

        @Override
        public String id() {
            return job.info().id();
        }

        @Override
        public String trainerName() {
            return trainer.name;
        }

        @Override
        public ModuleDescriptor module() {
            return job.module;
        }

        @Override
        public TrainOptions options() {
            return job.options;
        }

        @Override
        public JobInfo info() {
            return job.info();
        }

        @Override
        public void cancel() {
            if (!job.info().status().isTerminal()) {
                job.update(job.info().finished(JobStatus.CANCELED, List.of(), clock.instant()));
                FakeCluster.this.fire(JobEvent.Kind.FINISHED, job);
            }
        }

        @Override
        public JobInfo await() throws InterruptedException {
            return job.await(Duration.ofDays(1));
        }

        @Override
        public JobInfo await(Duration timeout) throws InterruptedException {
            return job.await(timeout);
        }

        @Override
        public Model load() throws InterruptedException {
            await();
            return ModelFormat.load(job.savePath);
        }

        @Override
        public Optional<Path> savePath() {
            return Optional.ofNullable(job.savePath);
        }

        @Override
        public String logs() {
            return "output of " + id() + "\n";
        }
    }
}
