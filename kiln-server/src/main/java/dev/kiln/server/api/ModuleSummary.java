package dev.kiln.server.api;

import java.util.List;

/**
 * A module the server can train, with the route that trains it and its parameters.
 *
 * @param moduleId the stable id
 * @param name the name
 * @param version the version
 * @param task the task
 * @param moduleClass the implementing class's name
 * @param trainRoute the path to POST training requests to, named by caikit's rule, such as
 *     {@code /api/v1/TextClassificationTaskTextClassifierTrain}
 * @param trainAliases other paths that train the module, such as {@code /api/v1/TextClassificationTextClassifierTrain}
 * @param parameters the training parameters, in declaration order
 */
public record ModuleSummary(
        String moduleId,
        String name,
        String version,
        String task,
        String moduleClass,
        String trainRoute,
        List<String> trainAliases,
        List<ParameterInfo> parameters) {}
