package dev.kiln.serving;

import dev.kiln.job.JobStatus;
import dev.kiln.trainer.JobEvent;
import dev.kiln.trainer.JobListener;
import dev.kiln.trainer.ModelFuture;

/** Serves each training's model as it completes, through a trainer's job events. */
public final class TrainedModels {
    private TrainedModels() {}

    /**
     * A listener for {@link dev.kiln.trainer.ModelTrainer#addListener} that serves every training that completes
     * with a model name and a save path.
     */
    public static JobListener listener(ModelServing serving) {
        return event -> {
            if (event.kind() == JobEvent.Kind.FINISHED && event.info().status() == JobStatus.COMPLETED) {
                ModelFuture f = event.future();
                f.savePath()
                        .ifPresent(path -> serving.addTrained(
                                f.id(),
                                f.options().modelName(),
                                path,
                                event.info().completed()));
            }
        };
    }
}
