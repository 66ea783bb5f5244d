package dev.kiln.server.jobs;

import dev.kiln.config.KilnConfig;
import dev.kiln.config.Settings;
import dev.kiln.config.TrainerConfig;
import dev.kiln.files.NoFollowPaths;
import dev.kiln.job.JobStatus;
import dev.kiln.manager.ModelManager;
import dev.kiln.server.journal.JobJournal;
import dev.kiln.server.journal.JobRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies each trainer's {@code retention_duration} to the journal as the trainer applies it to its memory: rows of
 * trainings that ended longer ago are purged, and (with {@code delete_results_on_purge}) the model a completed
 * training created is deleted when no trainer holds the training any more. A path that existed before the
 * training is never deleted.
 */
public final class TrainingRetention {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingRetention.class);
    private static final Duration DEFAULT_RETENTION = Duration.ofDays(1);

    private final Map<String, Rule> rules;

    private TrainingRetention(Map<String, Rule> rules) {
        this.rules = rules;
    }

    /**
     * The retention of every configured trainer, read from its {@code config} section as the LOCAL trainer reads it.
     *
     * @throws dev.kiln.error.KilnException INVALID_ARGUMENT naming a bad value
     */
    public static TrainingRetention from(KilnConfig config) {
        Map<String, Rule> rules = new LinkedHashMap<>();
        for (TrainerConfig tc : config.trainers().values()) {
            Settings c = tc.config();
            Duration retention = c.keys().contains("retention_duration")
                    ? c.duration("retention_duration").orElse(null)
                    : DEFAULT_RETENTION;
            rules.put(tc.name(), new Rule(retention, c.bool("delete_results_on_purge", true)));
        }
        return new TrainingRetention(rules);
    }

    /** How often to purge: half the shortest retention, between one second and one minute. */
    public Duration interval() {
        Duration shortest = rules.values().stream()
                .map(Rule::retention)
                .filter(r -> r != null)
                .min(Duration::compareTo)
                .orElse(Duration.ofMinutes(2));
        Duration half = shortest.dividedBy(2);
        if (half.compareTo(Duration.ofSeconds(1)) < 0) {
            return Duration.ofSeconds(1);
        }
        return half.compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1) : half;
    }

    /** Purges expired trainings from the journal; returns what it purged. */
    public List<JobRecord> purge(JobJournal journal, ModelManager manager, Instant now) {
        List<JobRecord> all = new ArrayList<>();
        rules.forEach((trainer, rule) -> {
            if (rule.retention() == null) {
                return;
            }
            for (JobRecord r : journal.purgeFinishedBefore(trainer, now.minus(rule.retention()))) {
                all.add(r);
                if (rule.deleteResults()
                        && r.info().status() == JobStatus.COMPLETED
                        && r.savePath() != null
                        && !r.savePathExisted()
                        && manager.find(r.trainingId()).isEmpty()) {
                    try {
                        NoFollowPaths.deleteTree(Path.of(r.savePath()));
                    } catch (RuntimeException e) {
                        LOG.warn(
                                "Could not delete the result of purged training {} at {}: {}",
                                r.trainingId(),
                                r.savePath(),
                                e.toString());
                    }
                }
            }
        });
        if (!all.isEmpty()) {
            LOG.debug("Purged {} trainings from the journal after retention", all.size());
        }
        return all;
    }

    private record Rule(Duration retention, boolean deleteResults) {}
}
