package dev.kiln.server.api;

import java.util.List;

/**
 * A training's progress reports in the order they came, for charts.
 *
 * @param trainingId the training id
 * @param points the reports
 */
public record ProgressHistory(String trainingId, List<ProgressReport> points) {}
