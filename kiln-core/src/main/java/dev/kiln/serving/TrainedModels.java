package dev.kiln.serving;

import dev.kiln.job.JobInfo;
import dev.kiln.job.JobStatus;
import dev.kiln.trainer.JobEvent;
import dev.kiln.trainer.JobListener;
import dev.kiln.trainer.ModelFuture;
import dev.kiln.trainer.ModelTrainer;
import java.util.Collection;
import java.util.function.Predicate;

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

    /**
     * For {@link ModelServing#onMiss}: serves the model of a completed training the trainers still hold whose model
     * name, or {@code <training id>/<model name>}, is the id asked for, and says whether it found one.
     */
    public static Predicate<String> catchUp(ModelServing serving, Collection<ModelTrainer> trainers) {
        return id -> {
            boolean served = false;
            for (ModelTrainer t : trainers) {
                for (ModelFuture f : t.list()) {
                    String name = f.options().modelName();
                    if (name == null || !(id.equals(name) || id.equals(f.id() + "/" + name))) {
                        continue;
                    }
                    JobInfo info = f.info();
                    if (info.status() == JobStatus.COMPLETED && f.savePath().isPresent()) {
                        served |= serving.addTrained(f.id(), name, f.savePath().get(), info.completed())
                                .isPresent();
                    }
                }
            }
            return served;
        };
    }
}
