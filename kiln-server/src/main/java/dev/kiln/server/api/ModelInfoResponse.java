package dev.kiln.server.api;

import java.util.List;

/**
 * The answer of {@code GET /info/models}, as caikit's {@code ModelInfoResponse}.
 *
 * @param models the served models
 */
public record ModelInfoResponse(List<ModelInfo> models) {}
