package dev.kiln.cli.client;

import java.util.List;

/**
 * Where the CLI's commands start, find and cancel trainings: this process (local) or a Kiln server. Every method
 * reports failures as {@link dev.kiln.error.KilnException} with a code the CLI maps to an exit code.
 */
public interface TrainingClient extends AutoCloseable {
    /** Where trainings live, for messages: "local" or a server's URL. */
    String where();

    /**
     * Whether trainings run on this machine. Paths on the command line (data files, models, the save path) then
     * name this machine's files and are resolved against the working directory; a server resolves them against
     * its own directories instead, so they are sent as given.
     */
    boolean isLocal();

    /** The modules that can be trained. */
    List<ModuleView> modules();

    /**
     * The module with this name or id.
     *
     * @throws dev.kiln.error.KilnException NOT_FOUND naming it and listing the known modules
     */
    ModuleView module(String ref);

    /**
     * Starts a training.
     *
     * @throws dev.kiln.error.KilnException INVALID_ARGUMENT naming a bad parameter, NOT_FOUND for an unknown module
     *     or trainer, FAILED_PRECONDITION if the trainer cannot run it
     */
    Training train(ClientTrainRequest request);

    /**
     * The training with this id (or unique id prefix).
     *
     * @throws dev.kiln.error.KilnException NOT_FOUND naming the id
     */
    TrainingSnapshot status(String id);

    /** Every known training, newest first. */
    List<TrainingSnapshot> list();

    /**
     * Cancels the training with this id and returns its state afterwards; an ended training is left as it is.
     *
     * @throws dev.kiln.error.KilnException NOT_FOUND naming the id
     */
    TrainingSnapshot cancel(String id);

    /**
     * The training's log: its lifecycle and progress lines and any captured worker output.
     *
     * @throws dev.kiln.error.KilnException NOT_FOUND naming the id
     */
    String logs(String id);

    @Override
    void close();
}
