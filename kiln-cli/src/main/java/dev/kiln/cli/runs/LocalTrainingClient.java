package dev.kiln.cli.runs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.cli.client.ClientTrainRequest;
import dev.kiln.cli.client.ModuleView;
import dev.kiln.cli.client.Training;
import dev.kiln.cli.client.TrainingClient;
import dev.kiln.cli.client.TrainingSnapshot;
import dev.kiln.config.KilnConfig;
import dev.kiln.config.TrainerConfig;
import dev.kiln.error.KilnException;
import dev.kiln.manager.ModelManager;
import dev.kiln.module.ModuleRegistry;
import dev.kiln.trainer.ModelFuture;
import dev.kiln.trainer.TrainOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Trains in this process with a {@link ModelManager} built from the configuration, records every training in a
 * {@link RunStore}, and answers status, list, cancel and logs from those records, so trainings run by other kiln
 * processes on this machine are visible too. Cancelling another process's training sends it SIGTERM; its shutdown
 * hook cancels the training cleanly.
 */
public final class LocalTrainingClient implements TrainingClient {
    private static final Duration CANCEL_WAIT = Duration.ofSeconds(30);

    private final KilnConfig config;
    private final RunStore store;
    private final Clock clock;
    private ModelManager manager;

    public LocalTrainingClient(KilnConfig config, RunStore store, Clock clock) {
        this.config = config;
        this.store = store;
        this.clock = clock;
    }

    @Override
    public String where() {
        return "local";
    }

    @Override
    public boolean isLocal() {
        return true;
    }

    @Override
    public List<ModuleView> modules() {
        return ModuleRegistry.global().all().stream().map(ModuleView::of).toList();
    }

    @Override
    public ModuleView module(String ref) {
        return ModuleView.of(ModuleRegistry.global().get(ref));
    }

    @Override
    public synchronized Training train(ClientTrainRequest request) {
        if (manager != null) {
            throw KilnException.failedPrecondition("This client already started a training");
        }
        KilnConfig effective = request.subprocess() ? withSubprocess(config, request.trainer()) : config;
        manager = ModelManager.fromConfig(effective);
        RunRecorder recorder = new RunRecorder(store);
        manager.trainers().forEach(t -> t.addListener(recorder));
        TrainOptions options = new TrainOptions(request.savePath(), request.saveWithId(), null, request.modelName());
        try {
            return new LocalTraining(
                    manager.train(request.module(), request.parameters(), request.trainer(), options, false));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw KilnException.failedPrecondition("Interrupted while starting the training");
        }
    }

    /** The configuration with {@code use_subprocess: true} for the named LOCAL trainer. */
    static KilnConfig withSubprocess(KilnConfig config, String trainerName) {
        TrainerConfig trainer = config.trainers().get(trainerName);
        if (trainer == null) {
            throw KilnException.notFound("Unknown trainer '" + trainerName + "'; configured trainers: "
                    + String.join(", ", config.trainers().keySet()));
        }
        if (!"LOCAL".equals(trainer.type())) {
            throw KilnException.invalidArgument("--subprocess applies to LOCAL trainers; trainer " + trainerName
                    + " is of type " + (trainer.type() == null ? trainer.importClass() : trainer.type()));
        }
        ObjectNode tree = config.root().json();
        tree.withObjectProperty("model_management")
                .withObjectProperty("trainers")
                .withObjectProperty(trainerName)
                .withObjectProperty("config")
                .put("use_subprocess", true);
        return KilnConfig.of(tree);
    }

    @Override
    public TrainingSnapshot status(String id) {
        Optional<ModelFuture> live = live(id);
        if (live.isPresent()) {
            return TrainingSnapshot.of(live.get());
        }
        return record(id).current(clock.instant());
    }

    @Override
    public List<TrainingSnapshot> list() {
        store.prune(retention(), clock.instant());
        Instant now = clock.instant();
        return store.list().stream().map(r -> r.current(now)).toList();
    }

    @Override
    public TrainingSnapshot cancel(String id) {
        Optional<ModelFuture> live = live(id);
        if (live.isPresent()) {
            live.get().cancel();
            return TrainingSnapshot.of(live.get());
        }
        RunRecord record = record(id);
        TrainingSnapshot view = record.current(clock.instant());
        if (view.state().isTerminal()) {
            return view;
        }
        ProcessHandle owner = record.owner().orElseThrow();
        if (owner.pid() == ProcessHandle.current().pid()) {
            throw KilnException.failedPrecondition(
                    "Training " + view.trainingId() + " belongs to this process but is not tracked by it");
        }
        owner.destroy();
        return awaitEnd(view.trainingId(), owner);
    }

    private TrainingSnapshot awaitEnd(String id, ProcessHandle owner) {
        Instant deadline = clock.instant().plus(CANCEL_WAIT);
        try {
            owner.onExit().get(CANCEL_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            // report whatever the record says
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        while (clock.instant().isBefore(deadline)) {
            TrainingSnapshot v = record(id).current(clock.instant());
            if (v.state().isTerminal()) {
                return v;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return record(id).current(clock.instant());
    }

    @Override
    public String logs(String id) {
        Optional<ModelFuture> live = live(id);
        String trainingId =
                live.map(ModelFuture::id).orElseGet(() -> record(id).training().trainingId());
        return store.log(trainingId);
    }

    private synchronized Optional<ModelFuture> live(String id) {
        return manager == null ? Optional.empty() : manager.find(id);
    }

    private RunRecord record(String id) {
        return store.find(id)
                .orElseThrow(() -> KilnException.notFound("Training " + id
                        + " was not found: no kiln run on this machine has that id (records are kept in "
                        + store.directory() + ")"));
    }

    private Duration retention() {
        try {
            TrainerConfig trainer = config.trainers().get(ModelManager.DEFAULT_TRAINER);
            if (trainer == null || !trainer.config().keys().contains("retention_duration")) {
                return Duration.ofDays(1);
            }
            return trainer.config().duration("retention_duration").orElse(null);
        } catch (KilnException e) {
            return Duration.ofDays(1);
        }
    }

    @Override
    public synchronized void close() {
        if (manager != null) {
            manager.close();
        }
    }

    /** A training of this process. */
    private static final class LocalTraining implements Training {
        private final ModelFuture future;

        LocalTraining(ModelFuture future) {
            this.future = future;
        }

        @Override
        public String id() {
            return future.id();
        }

        @Override
        public TrainingSnapshot view() {
            return TrainingSnapshot.of(future);
        }

        @Override
        public TrainingSnapshot await(Duration timeout) throws InterruptedException {
            return TrainingSnapshot.of(future, future.await(timeout));
        }

        @Override
        public void cancel() {
            future.cancel();
        }
    }
}
