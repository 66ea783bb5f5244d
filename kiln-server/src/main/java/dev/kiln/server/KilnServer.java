package dev.kiln.server;

import dev.kiln.config.DurationFormat;
import dev.kiln.config.KilnConfig;
import dev.kiln.data.FileSourcePolicy;
import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import dev.kiln.manager.ModelManager;
import dev.kiln.server.dashboard.Dashboard;
import dev.kiln.server.grpc.GrpcServer;
import dev.kiln.server.grpc.GrpcSettings;
import dev.kiln.server.grpc.KilnSchema;
import dev.kiln.server.grpc.ServiceNames;
import dev.kiln.server.http.JsonErrorHandler;
import dev.kiln.server.http.Routes;
import dev.kiln.server.http.SlowClientGuards;
import dev.kiln.server.http.TrainRoutes;
import dev.kiln.server.jobs.Reconciliation;
import dev.kiln.server.jobs.SubmissionPolicy;
import dev.kiln.server.jobs.TrainingRetention;
import dev.kiln.server.jobs.Trainings;
import dev.kiln.server.journal.JobJournal;
import dev.kiln.server.journal.SqliteJobJournal;
import dev.kiln.server.metrics.ServerMetrics;
import dev.kiln.server.predict.PredictionJobs;
import dev.kiln.server.predict.PredictionSettings;
import dev.kiln.server.predict.ServingTaskModels;
import dev.kiln.server.serving.JournaledModels;
import dev.kiln.server.serving.LocalModelsPoll;
import dev.kiln.serving.ModelServing;
import dev.kiln.serving.ServingSettings;
import dev.kiln.serving.TrainedModels;
import dev.kiln.time.Cancellable;
import dev.kiln.time.TrainerScheduler;
import dev.kiln.trainer.ModelFuture;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kiln's server: caikit's training API over HTTP and gRPC ({@code runtime.grpc}) and Kiln's additions over the
 * configured trainers, with every training journaled. On start it reloads the journal: trainings that were unfinished when the server last stopped
 * become ERRORED, interrupted — except those of trainers whose jobs outlive the process (such as SLURM's), which are
 * taken over from the trainer if it still tracks them. On stop it refuses new trainings, waits up to the grace period
 * for running ones, and records the rest as interrupted; trainings whose jobs outlive the process are neither waited
 * for nor interrupted, and stay QUEUED or RUNNING in the journal.
 */
public final class KilnServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KilnServer.class);

    /** The name of the thread the server's own timers run on, and of its executor in the metrics. */
    private static final String TIMER = "kiln-server-timer";

    /** How long a stop waits for event streams to finish their responses. */
    private static final Duration STREAMS_CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private enum State {
        NEW,
        RUNNING,
        STOPPING,
        STOPPED
    }

    private final KilnConfig config;
    private final ServerSettings settings;
    private final GrpcSettings grpcSettings;
    private final Clock clock;
    private final Duration heartbeat;
    private final ModelManager givenManager;
    private final JobJournal givenJournal;
    private final TrainerScheduler givenScheduler;
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean accepting;
    private JobJournal journal;
    private ModelManager manager;
    private Trainings trainings;
    private TrainerScheduler scheduler;
    private Cancellable purges;
    private ModelServing serving;
    private PredictionJobs predictions;
    private LocalModelsPoll localModelsPoll;
    private ServerMetrics metrics;
    private Javalin app;
    private GrpcServer grpc;

    private KilnServer(Builder b) {
        this.config = b.config;
        this.settings = b.settings;
        this.grpcSettings = b.grpcSettings;
        this.clock = b.clock;
        this.heartbeat = b.heartbeat;
        this.givenManager = b.manager;
        this.givenJournal = b.journal;
        this.givenScheduler = b.scheduler;
    }

    /** A builder over {@code config}, with settings read from it and the process environment. */
    public static Builder builder(KilnConfig config) {
        return new Builder(config);
    }

    /**
     * Starts a server with the settings in {@code config}.
     *
     * @throws KilnException naming a bad setting, a journal in use, or an address that cannot be bound
     */
    public static KilnServer start(KilnConfig config) {
        return builder(config).build().start();
    }

    /**
     * Opens the journal, starts the trainers, settles the trainings the journal shows unfinished (kept when their
     * trainer's jobs outlive the process and it still tracks them, interrupted otherwise) and serves.
     *
     * @throws KilnException FAILED_PRECONDITION if already started or the journal is in use, UNAVAILABLE if the
     *     address cannot be bound, INVALID_ARGUMENT naming a bad trainer config
     */
    public KilnServer start() {
        if (!state.compareAndSet(State.NEW, State.RUNNING)) {
            throw KilnException.failedPrecondition("This server was already started");
        }
        try {
            journal = givenJournal != null ? givenJournal : SqliteJobJournal.open(settings.journalPath());
            manager = givenManager != null ? givenManager : ModelManager.fromConfig(config);
            TrainRoutes trainRoutes = new TrainRoutes(manager.modules());
            metrics = new ServerMetrics();
            scheduler = givenScheduler != null
                    ? givenScheduler
                    : TrainerScheduler.daemon(TIMER, executor -> metrics.monitor(executor, TIMER));
            serving = new ModelServing(ServingSettings.from(config), manager.modules());
            serving.onMiss(TrainedModels.catchUp(serving, manager.trainers()));
            FileSourcePolicy dataFiles = FileSourcePolicy.confinedTo(settings.dataBase());
            SubmissionPolicy policy = new SubmissionPolicy(settings.outputDir(), settings.saveWithId(), dataFiles);
            predictions = new PredictionJobs(
                    new ServingTaskModels(serving), dataFiles, PredictionSettings.from(config), clock);
            trainings = new Trainings(
                    manager,
                    journal,
                    policy,
                    TrainingRetention.from(config),
                    clock,
                    List.of(metrics, TrainedModels.listener(serving)),
                    () -> accepting);
            logReconciliation(trainings.reconcileJournal());
            purgeExpired();
            startServing();
            startPurges();
            Routes routes = new Routes(
                    trainings,
                    trainRoutes,
                    serving,
                    predictions,
                    metrics,
                    config,
                    settings.authToken(),
                    settings.maxBodyBytes(),
                    heartbeat,
                    () -> accepting);
            accepting = true;
            app = Javalin.create(cfg -> {
                cfg.startup.showJavalinBanner = false;
                cfg.startup.showOldJavalinVersionWarning = false;
                cfg.http.maxRequestSize = settings.maxBodyBytes();
                cfg.http.prefer405over404 = true;
                cfg.http.compressionStrategy = CompressionStrategy.NONE;
                cfg.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
                cfg.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new JsonErrorHandler()));
                SlowClientGuards.install(
                        cfg, settings.host(), settings.port(), settings.clientLimits(), settings.maxBodyBytes());
                routes.install(cfg.routes);
                Dashboard.install(cfg);
            });
            bind();
            metrics.monitorHttpThreads(app.jettyServer().threadPool());
            if (grpcSettings.enabled()) {
                grpc = GrpcServer.start(
                        grpcSettings,
                        settings.host(),
                        KilnSchema.build(ServiceNames.from(config), manager.modules(), serving.tasks()),
                        trainings,
                        serving,
                        settings.authToken());
            }
            LOG.info(
                    "Kiln server listening on {} (journal {}, models under {})",
                    baseUri(),
                    settings.journalPath(),
                    settings.outputDir().toAbsolutePath());
            return this;
        } catch (RuntimeException e) {
            accepting = false;
            release(false);
            state.set(State.STOPPED);
            stopped.countDown();
            throw e;
        }
    }

    private static void logReconciliation(Reconciliation r) {
        if (!r.interrupted().isEmpty()) {
            LOG.warn(
                    "{} trainings were unfinished when the server last stopped and are recorded as interrupted:"
                            + " {}",
                    r.interrupted().size(),
                    r.interrupted());
        }
        if (!r.resumed().isEmpty()) {
            LOG.info(
                    "{} trainings were unfinished when the server last stopped and are resumed from their"
                            + " checkpoints: {}",
                    r.resumed().size(),
                    r.resumed());
        }
        if (!r.reattached().isEmpty()) {
            LOG.info(
                    "{} trainings outlived the server on their trainers and are tracked again: {}",
                    r.reattached().size(),
                    r.reattached());
        }
        if (!r.untracked().isEmpty()) {
            LOG.warn(
                    "{} trainings were unfinished when the server last stopped and their trainers no longer track"
                            + " them; they are recorded as interrupted: {}",
                    r.untracked().size(),
                    r.untracked());
        }
    }

    private void bind() {
        try {
            app.start(settings.host(), settings.port());
        } catch (RuntimeException e) {
            throw new KilnException(
                    ErrorCode.UNAVAILABLE,
                    "Cannot serve on " + settings.host() + ":" + settings.port()
                            + " (runtime.http.host, runtime.http.port): " + e.getMessage(),
                    e);
        }
    }

    private void purgeExpired() {
        JournaledModels.purged(trainings.purgeExpired(), serving);
        predictions.purgeExpired();
    }

    /** Serves the journal's completed trainings and the local models directory, and polls it if configured. */
    private void startServing() {
        int trained = JournaledModels.restore(journal, serving);
        serving.syncLocalModels();
        localModelsPoll = LocalModelsPoll.start(serving, scheduler);
        LOG.info(
                "Serving {} models ({} from completed trainings) from {}; local models under {}",
                serving.catalog().all().size(),
                trained,
                settings.outputDir().toAbsolutePath(),
                serving.localModelsDirectory().root());
    }

    /** Purges expired trainings every purge interval the retention asks for, on the server's scheduler. */
    private void startPurges() {
        purges = scheduler.scheduleWithFixedDelay(
                () -> {
                    try {
                        purgeExpired();
                    } catch (RuntimeException e) {
                        LOG.warn("Purging expired trainings from the journal failed: {}", e.toString());
                    }
                },
                trainings.purgeInterval());
    }

    /** The port the server listens on (the bound one when configured with 0). */
    public int port() {
        return app.port();
    }

    /** The port gRPC listens on (the bound one when configured with 0), or -1 when gRPC is off. */
    public int grpcPort() {
        return grpc == null ? -1 : grpc.port();
    }

    /** The server's base address, such as {@code http://127.0.0.1:8080}. */
    public URI baseUri() {
        String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
        return URI.create("http://" + host + ":" + port());
    }

    /** The settings the server runs with. */
    public ServerSettings settings() {
        return settings;
    }

    /** The server's trainings, for embedding. */
    public Trainings trainings() {
        return trainings;
    }

    /** The served models, for embedding (such as another API in front of the same models). */
    public ModelServing serving() {
        return serving;
    }

    /** Whether the server takes new trainings: true from start until a stop begins. */
    public boolean isAccepting() {
        return accepting;
    }

    /** Stops gracefully, waiting up to {@code runtime.http.server_shutdown_grace_period_seconds}. */
    public void stop() {
        stop(settings.shutdownGrace());
    }

    /**
     * Stops: refuses new trainings at once, waits up to {@code grace} for unfinished trainings (answering reads
     * meanwhile), then stops serving, stops the trainers it started and records what is still unfinished as
     * interrupted. Trainings of trainers whose jobs outlive the process are not waited for, cancelled or interrupted:
     * they keep running, stay QUEUED or RUNNING in the journal, and the next start on it finds them again. A second
     * call waits for the first.
     */
    public void stop(Duration grace) {
        if (state.compareAndSet(State.NEW, State.STOPPED)) {
            stopped.countDown();
            return;
        }
        if (!state.compareAndSet(State.RUNNING, State.STOPPING)) {
            awaitStoppedUninterruptibly();
            return;
        }
        accepting = false;
        if (grpc != null) {
            grpc.stopping();
        }
        LOG.info(
                "Kiln server stopping: new trainings are refused; waiting up to {} for running ones",
                DurationFormat.format(grace));
        awaitUnfinished(grace);
        release(true);
        state.set(State.STOPPED);
        stopped.countDown();
    }

    private void awaitUnfinished(Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        try {
            for (ModelFuture f : trainings.endingWithServer()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                f.await(Duration.ofNanos(left));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void release(boolean started) {
        if (trainings != null) {
            trainings.closeEventStreams(STREAMS_CLOSE_TIMEOUT);
        }
        if (app != null) {
            app.stop();
        }
        if (grpc != null) {
            grpc.stop(STREAMS_CLOSE_TIMEOUT);
        }
        if (purges != null) {
            purges.cancel();
        }
        if (localModelsPoll != null) {
            localModelsPoll.close();
        }
        if (givenScheduler == null && scheduler != null) {
            scheduler.close();
        }
        if (predictions != null) {
            predictions.close();
        }
        List<String> unfinished = List.of();
        if (trainings != null) {
            unfinished =
                    trainings.endingWithServer().stream().map(ModelFuture::id).toList();
            if (!unfinished.isEmpty()) {
                LOG.warn(
                        "{} trainings did not finish before the server stopped and are recorded as interrupted: {}",
                        unfinished.size(),
                        unfinished);
            }
            List<String> outliving =
                    trainings.outlivingServer().stream().map(ModelFuture::id).toList();
            if (!outliving.isEmpty()) {
                LOG.info(
                        "{} trainings run on trainers whose jobs outlive the server and are left running; the next"
                                + " start on this journal tracks them again: {}",
                        outliving.size(),
                        outliving);
            }
            trainings.shuttingDown();
        }
        if (givenManager == null && manager != null) {
            manager.close();
        }
        if (trainings != null) {
            List<String> interrupted = new ArrayList<>(trainings.recordInterrupted());
            interrupted.removeAll(unfinished);
            if (!interrupted.isEmpty()) {
                LOG.warn(
                        "{} more trainings were still unfinished after the trainers stopped and are recorded as"
                                + " interrupted: {}",
                        interrupted.size(),
                        interrupted);
            }
        }
        if (givenJournal == null && journal != null) {
            journal.close();
        }
        if (metrics != null) {
            metrics.close();
        }
        if (started) {
            LOG.info("Kiln server stopped");
        }
    }

    /**
     * Waits until the server has stopped.
     *
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    private void awaitStoppedUninterruptibly() {
        boolean interrupted = false;
        while (true) {
            try {
                stopped.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops gracefully. */
    @Override
    public void close() {
        stop();
    }

    /** Builds a server; everything but the configuration has a default. */
    public static final class Builder {
        private final KilnConfig config;
        private ServerSettings settings;
        private GrpcSettings grpcSettings;
        private Clock clock = Clock.systemUTC();
        private Duration heartbeat = Duration.ofSeconds(15);
        private ModelManager manager;
        private JobJournal journal;
        private TrainerScheduler scheduler;

        private Builder(KilnConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            this.settings = ServerSettings.from(config, System.getenv());
            this.grpcSettings = GrpcSettings.from(config);
        }

        /** Replaces the settings read from the configuration. */
        public Builder settings(ServerSettings value) {
            this.settings = Objects.requireNonNull(value, "settings");
            return this;
        }

        /** Reads the settings again with {@code env} as the environment (for {@code KILN_AUTH_TOKEN}). */
        public Builder environment(Map<String, String> env) {
            this.settings = ServerSettings.from(config, env);
            return this;
        }

        /** Serves on this port instead of {@code runtime.http.port}; 0 picks a free one. */
        public Builder port(int value) {
            this.settings = settings.withPort(value);
            return this;
        }

        /** Serves gRPC on this port instead of {@code runtime.grpc.port}; 0 picks a free one. */
        public Builder grpcPort(int value) {
            this.grpcSettings = grpcSettings.withPort(value);
            return this;
        }

        /** Binds this address of {@code runtime.http.host}. */
        public Builder host(String value) {
            this.settings = settings.withHost(Objects.requireNonNull(value, "host"));
            return this;
        }

        /** The clock for interruption times and retention. */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** How often an idle event stream sends a keep-alive comment. */
        public Builder eventHeartbeat(Duration value) {
            this.heartbeat = Objects.requireNonNull(value, "heartbeat");
            return this;
        }

        /** Trains with this manager instead of one built from the configuration; the server does not close it. */
        public Builder manager(ModelManager value) {
            this.manager = value;
            return this;
        }

        /** Journals into this store instead of the SQLite file; the server does not close it. */
        public Builder journal(JobJournal value) {
            this.journal = value;
            return this;
        }

        /**
         * Runs the server's timers (the journal's retention purge, the local models poll) on this scheduler instead
         * of a daemon thread of the server's own; the server does not close it.
         */
        public Builder scheduler(TrainerScheduler value) {
            this.scheduler = value;
            return this;
        }

        public KilnServer build() {
            return new KilnServer(this);
        }
    }
}
