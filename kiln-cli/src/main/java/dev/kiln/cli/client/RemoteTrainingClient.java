package dev.kiln.cli.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import dev.kiln.job.JobStatus;
import dev.kiln.server.ServerSettings;
import dev.kiln.server.api.ProgressHistory;
import dev.kiln.server.api.ProgressReport;
import dev.kiln.server.api.TrainResponse;
import dev.kiln.server.api.TrainingDetail;
import dev.kiln.server.api.TrainingPage;
import dev.kiln.server.api.TrainingSummary;
import dev.kiln.server.client.KilnClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Sends the commands to a Kiln server over its HTTP API ({@link KilnClient}): trainings run there, under the
 * server's configuration, and are followed through their event streams. Paths in a request (data files, models,
 * {@code --save-path}) are sent as given, for the server to resolve against its own directories. The server's
 * errors arrive as {@link dev.kiln.server.client.KilnServerException}s with the server's message and a
 * {@link dev.kiln.error.ErrorCode}, so they map to the same exit codes as local errors; a server that cannot be
 * reached is UNAVAILABLE naming its URL.
 */
public final class RemoteTrainingClient implements TrainingClient {
    /** The most trainings one list request asks for (the server's limit). */
    private static final int PAGE = 1000;

    private final KilnClient client;
    private final List<RemoteTraining> followed = new CopyOnWriteArrayList<>();

    public RemoteTrainingClient(KilnClient client) {
        this.client = client;
    }

    /**
     * A client of the server at {@code url}.
     *
     * @param token the bearer token, or null for none
     * @throws KilnException INVALID_ARGUMENT if the URL is not an http or https URL
     */
    public static RemoteTrainingClient connect(URI url, String token) {
        return new RemoteTrainingClient(KilnClient.connect(url, token));
    }

    @Override
    public String where() {
        return client.baseUri().toString();
    }

    @Override
    public boolean isLocal() {
        return false;
    }

    @Override
    public List<ModuleView> modules() {
        return call(() -> client.modules().stream().map(ServerViews::module).toList());
    }

    @Override
    public ModuleView module(String ref) {
        return call(() -> ServerViews.module(client.module(ref)));
    }

    /**
     * Submits the training to the server: the model name (the module's name when none is given), the save path as
     * {@code output_path} under the server's output directory, the trainer and the parameters.
     *
     * @throws KilnException INVALID_ARGUMENT for options only a local training takes, or as the server answers
     */
    @Override
    public Training train(ClientTrainRequest request) {
        if (request.subprocess() || request.saveWithId()) {
            throw KilnException.invalidArgument((request.subprocess() ? "--subprocess" : "--save-with-id")
                    + " applies to trainings on this machine; with --server the server's configuration decides"
                    + " (the trainer's use_subprocess, runtime.training.save_with_id)");
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("model_name", request.modelName() != null ? request.modelName() : request.module());
        if (request.savePath() != null) {
            body.put("output_path", request.savePath().toString());
        }
        body.put("trainer", request.trainer());
        body.set("parameters", request.parameters());
        TrainResponse started = call(() -> client.train(request.module(), body));
        RemoteTraining training = new RemoteTraining(client, status(started.trainingId()));
        followed.add(training);
        return training;
    }

    @Override
    public TrainingSnapshot status(String id) {
        return call(() -> ServerViews.training(client.detail(id)));
    }

    /** Every training the server holds, newest first; ERRORED ones with their errors. */
    @Override
    public List<TrainingSnapshot> list() {
        List<TrainingSnapshot> all = new ArrayList<>();
        int offset = 0;
        while (true) {
            int from = offset;
            TrainingPage page = call(() -> client.list(Set.of(), PAGE, from));
            for (TrainingSummary s : page.trainings()) {
                all.add(s.state() == JobStatus.ERRORED ? withErrors(s) : ServerViews.training(s));
            }
            offset += page.trainings().size();
            if (page.trainings().isEmpty() || offset >= page.total()) {
                return all;
            }
        }
    }

    private TrainingSnapshot withErrors(TrainingSummary s) {
        try {
            return status(s.trainingId());
        } catch (KilnException e) {
            return ServerViews.training(s); // purged meanwhile: show what the list said
        }
    }

    @Override
    public TrainingSnapshot cancel(String id) {
        call(() -> client.cancel(id));
        return status(id);
    }

    /** The training's lifecycle and progress lines and errors, as a local run logs them, then its worker output. */
    @Override
    public String logs(String id) {
        return call(() -> {
            TrainingDetail detail = client.detail(id);
            return ServerLog.render(detail, progress(id), client.logs(id, null));
        });
    }

    private List<ProgressReport> progress(String id) {
        List<ProgressReport> all = new ArrayList<>();
        long after = Long.MIN_VALUE;
        while (true) {
            ProgressHistory page = client.progress(id, after);
            if (page.points().isEmpty()) {
                return all;
            }
            all.addAll(page.points());
            long last = page.points().get(page.points().size() - 1).step();
            if (last <= after) {
                return all;
            }
            after = last;
        }
    }

    /** Runs a request, adding to a refused token where kiln takes it from. */
    private <T> T call(Supplier<T> request) {
        try {
            return request.get();
        } catch (KilnException e) {
            if (e.code() == ErrorCode.UNAUTHENTICATED) {
                throw new KilnException(
                        ErrorCode.UNAUTHENTICATED,
                        e.getMessage() + " (kiln sends the token given" + " with --token or in "
                                + ServerSettings.AUTH_TOKEN_ENV + ")",
                        e);
            }
            throw e;
        }
    }

    /** Stops following trainings; they go on at the server. */
    @Override
    public void close() {
        followed.forEach(RemoteTraining::stopWatching);
    }
}
