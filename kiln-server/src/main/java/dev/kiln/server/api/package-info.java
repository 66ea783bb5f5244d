/**
 * The HTTP API's message shapes, shared by the server and {@link dev.kiln.server.client.KilnClient}: records that
 * serialize to snake_case JSON. The caikit-compatible shapes ({@link TrainResponse}, {@link TrainingStatus},
 * {@link ErrorResponse}) match caikit's runtime field for field.
 */
package dev.kiln.server.api;
