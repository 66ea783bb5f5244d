package dev.kiln.server.api;

/**
 * The answer to a training request, as caikit's runtime gives it.
 *
 * @param trainingId the id to ask about the training with
 * @param modelName the model name the request gave
 */
public record TrainResponse(String trainingId, String modelName) {}
