package dev.kiln.server.serving;

import dev.kiln.job.JobStatus;
import dev.kiln.server.journal.JobJournal;
import dev.kiln.server.journal.JobPage;
import dev.kiln.server.journal.JobQuery;
import dev.kiln.server.journal.JobRecord;
import dev.kiln.serving.ModelServing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Tells serving of the trainings the journal holds: at start every completed training's model is served again, and
 * a purged training's model stops being served once its files are gone.
 */
public final class JournaledModels {
    private static final int PAGE = 500;

    private JournaledModels() {}

    /** Serves the model of every completed training in the journal; returns how many. */
    public static int restore(JobJournal journal, ModelServing serving) {
        int served = 0;
        for (int offset = 0; ; offset += PAGE) {
            JobPage page = journal.list(new JobQuery(Set.of(JobStatus.COMPLETED), offset, PAGE));
            for (JobRecord r : page.records()) {
                if (r.savePath() != null
                        && r.info().completed() != null
                        && serving.addTrained(
                                        r.trainingId(),
                                        r.modelName(),
                                        Path.of(r.savePath()),
                                        r.info().completed())
                                .isPresent()) {
                    served++;
                }
            }
            if (page.records().size() < PAGE) {
                return served;
            }
        }
    }

    /** Stops serving the models of purged trainings whose saved files were deleted. */
    public static void purged(List<JobRecord> records, ModelServing serving) {
        for (JobRecord r : records) {
            if (r.modelName() != null && (r.savePath() == null || !Files.exists(Path.of(r.savePath())))) {
                serving.removeTrained(r.trainingId(), r.modelName());
            }
        }
    }
}
