package dev.kiln.server.api;

/**
 * caikit's {@code PredictionJob}: the answer to starting a prediction job.
 *
 * @param predictionId the id to ask for the job's status and results with
 */
public record PredictionJobStarted(String predictionId) {}
