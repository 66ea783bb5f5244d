package dev.kiln.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.config.Settings;
import dev.kiln.json.KilnJson;
import dev.kiln.testing.RetryBehaviourSuite;
import dev.kiln.time.TrainerScheduler;
import dev.kiln.trainer.ModelTrainer;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** The retry behaviour suite with each job in a pre-started child JVM from the warm pool. */
class ForkserverModeRetryTest extends RetryBehaviourSuite {
    @Override
    protected ModelTrainer newTrainer(Map<String, Object> config, Clock clock, TrainerScheduler scheduler) {
        Map<String, Object> all = new HashMap<>(config);
        all.put("use_subprocess", true);
        all.put("subprocess_start_method", "forkserver");
        all.put("work_dir", tmp.resolve("work").toString());
        JsonNode json = KilnJson.data().valueToTree(all);
        return LocalModelTrainer.builder()
                .name("forkserver-test")
                .settings(LocalTrainerSettings.from(new Settings("test.config", json)))
                .clock(clock)
                .scheduler(scheduler)
                .build();
    }
}
