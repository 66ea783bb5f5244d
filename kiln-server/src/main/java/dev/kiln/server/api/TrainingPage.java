package dev.kiln.server.api;

import java.util.List;

/**
 * One page of the list of trainings, newest first.
 *
 * @param trainings the trainings on this page
 * @param total how many trainings match the filter
 * @param offset how many matching trainings come before this page
 * @param limit the most trainings a page holds
 */
public record TrainingPage(List<TrainingSummary> trainings, long total, int offset, int limit) {}
