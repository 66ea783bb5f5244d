package dev.kiln.server.api;

/**
 * The answer of {@code DELETE /management/models}: caikit answers with its {@code UndeployModelRequest}.
 *
 * @param modelId the model that was undeployed
 */
public record UndeployResponse(String modelId) {}
