package dev.kiln.local.child;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.config.Settings;
import dev.kiln.local.LocalModelTrainer;
import dev.kiln.local.LocalTrainerSettings;
import dev.kiln.testing.SampleModule;
import dev.kiln.trainer.TrainOptions;
import java.nio.file.Path;

/**
 * A JVM that starts a gated training in a child JVM and then waits forever: a test kills it to check that its child
 * does not outlive it. Arguments: the work directory, the gate file, the started file.
 */
public final class TrainingParentMain {
    private TrainingParentMain() {}

    public static void main(String[] args) throws Exception {
        ObjectNode config = JsonNodeFactory.instance
                .objectNode()
                .put("use_subprocess", true)
                .put("work_dir", args[0]);
        LocalModelTrainer trainer = LocalModelTrainer.builder()
                .name("parent-death")
                .settings(LocalTrainerSettings.from(new Settings("test", config)))
                .build();
        trainer.train(
                new SampleModule(),
                SampleModule.Params.defaults().withGate(Path.of(args[1]), Path.of(args[2])),
                TrainOptions.none());
        Thread.currentThread().join();
    }
}
