package dev.kiln.config;

/**
 * One trainer's entry under {@code model_management.trainers.<name>}.
 *
 * @param name the instance name, such as {@code default}
 * @param type the trainer type, such as {@code LOCAL}, or null when {@code import_class} is given
 * @param importClass a class to construct instead of looking the type up, or null
 * @param config the {@code config} section handed to the trainer
 */
public record TrainerConfig(String name, String type, String importClass, Settings config) {}
