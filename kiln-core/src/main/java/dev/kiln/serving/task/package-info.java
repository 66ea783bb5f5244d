/**
 * Tasks as caikit names them: each maps a module's task to caikit's task class name, its HTTP route and its input
 * and output shapes, such as caikit's {@code TextClassificationTask} (input {@code text}, output
 * {@code ClassificationResults}).
 */
package dev.kiln.serving.task;
