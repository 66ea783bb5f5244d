package dev.kiln.cli.client;

/**
 * A model as {@code kiln models} shows it, from a local models directory or a server's {@code /info/models}.
 *
 * @param id the model id it is served (or would be served) under
 * @param moduleId the id of the module that made it
 * @param moduleName that module's name, or its id when unknown
 * @param size its size in bytes, or -1 when unknown
 * @param path where it is, as the machine holding it names it
 * @param trainingId the training that made it, or null
 */
public record ModelView(String id, String moduleId, String moduleName, long size, String path, String trainingId) {}
