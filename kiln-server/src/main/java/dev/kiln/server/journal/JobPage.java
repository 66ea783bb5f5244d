package dev.kiln.server.journal;

import java.util.List;

/**
 * One page of trainings from the journal.
 *
 * @param records the trainings on the page, newest first, without their parameters
 * @param total how many trainings match the query
 */
public record JobPage(List<JobRecord> records, long total) {
    public JobPage {
        records = List.copyOf(records);
    }
}
